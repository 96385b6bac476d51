#!/usr/bin/env node
// V8 flags are process-wide, so set here they hold for the parser's worker
// threads too. A larger interrupt budget makes V8 optimise only code that stays
// hot: by default pdf.js's many mid-warm functions are optimised, deoptimised
// and optimised again on background threads, which cost more CPU than the
// parsing itself. Output is the same either way; only the timing changes.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--interrupt-budget=1048576');
const { main } = await import('../dist/cli.js');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
