// Real published reports (../shared/real): extracts every document with the
// CLI's own code, scores the run with the collection's score.py, and prints its
// per-document lines and overall figures, plus the time. Skips with one line
// when the collection (or python3) is absent.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../src/cli.js';

const real = path.resolve(import.meta.dirname, '../../shared/real');
const docs = path.join(real, 'docs');
const scorer = path.join(real, 'score.py');
if (!existsSync(docs) || !existsSync(scorer)) {
  console.log(`bench:real skipped: ${real} is absent (docs/ and score.py are needed)`);
  process.exit(0);
}
const keep = process.argv.indexOf('--out');
const out = keep > 0 ? path.resolve(process.argv[keep + 1]) : mkdtempSync(path.join(tmpdir(), 'rectrace-real-'));
const started = performance.now();
const code = await main(['extract', docs, '--out', out, '--quiet', '--force']);
const seconds = (performance.now() - started) / 1000;
const score = spawnSync('python3', [scorer, 'extract', out], { encoding: 'utf8' });
if (score.error) {
  console.log(`bench:real skipped: python3 cannot be run (${score.error.message})`);
  process.exit(0);
}
process.stdout.write(score.stdout);
if (score.stderr.trim()) process.stderr.write(score.stderr);
console.log(`extract exit ${code}; ${seconds.toFixed(1)} s for ${docs} (${out}${keep > 0 ? '' : ', removed'})`);
if (keep < 0) rmSync(out, { recursive: true, force: true });
process.exitCode = score.status ?? 1;
