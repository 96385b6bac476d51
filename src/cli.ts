// Thin shell: arguments → pipeline → report → exit code. The only module that prints.
import { parseArgs } from 'node:util';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { MatchSettings } from './schema.js';
import { GENERATOR } from './version.js';
import { RectraceError, toErrorInfo } from './errors.js';
import { applyCorrections, type CorrectionProblem } from './corrections/index.js';
import { correctOutputs } from './corrections/outputs.js';
import { buildRun, extractFile, linkDocuments, readDocumentJson, runBatch, type BatchProgress, type BatchResult } from './pipeline.js';
import { stableJson, writeFileAtomic } from './emit/files.js';
import { parseOverrides, resolveOverrides, type OverridesProblem, type ParsedOverrides } from './overrides.js';
import { readRunDir, writeExports, writeRunJson } from './emit/exports.js';
import { formatRunSummary } from './emit/summary.js';
import { diffGenerations, diffToMarkdown } from './match/diff.js';

type Command = 'extract' | 'link' | 'run' | 'export' | 'diff' | 'review';

const OPTION_HELP: Record<string, string> = {
  out: '--out DIR             where to write (required)',
  concurrency: '--concurrency N       documents in parallel (default: number of cores)',
  timeout: '--timeout SECONDS     per-document time limit (default 120); each PDF page read by OCR adds 10 s (at most 600 s)',
  'max-size': '--max-size MB         per-file size limit (default 200)',
  'max-memory': '--max-memory MB       memory limit for the whole run; over it the longest-running document fails (default: 3/4 of RAM, at most 2048 + 1536 per worker)',
  force: '--force               redo documents already extracted with this version',
  'no-ocr': '--no-ocr              do not OCR PDF pages without a text layer (a PDF with no text then fails: pdf/no-text-layer)',
  overrides: '--overrides FILE      a person\'s decisions: links (confirm, reject, add), series (join, leave), corrections to extractions; review: where to write them (default OUT_DIR/overrides.json)',
  lenient: '--lenient             unresolved overrides entries are warnings, not a usage error',
  bom: '--bom                 CSVs start with a byte-order mark (for Excel)',
  json: '--json                JSON instead of Markdown',
  port: '--port N              port (default: a free one)',
  by: '--by NAME             who decides (default: the user name)',
  'match-settings': '--match-settings FILE matcher weights and thresholds replacing the defaults (JSON)',
  quiet: '--quiet               no progress output',
  verbose: '--verbose             stack traces of internal errors on stderr',
};

const BATCH = ['out', 'concurrency', 'timeout', 'max-size', 'max-memory', 'force', 'no-ocr', 'quiet', 'verbose'];
const COMMANDS: Record<Command, { usage: string; what: string; options: string[]; example: string }> = {
  extract: {
    usage: 'rectrace extract <files or folders...> --out DIR',
    what: 'One JSON per document and DIR/manifest.json; --overrides applies its corrections to extractions.',
    options: [...BATCH, 'overrides'],
    example: 'rectrace extract reports/ --out out/',
  },
  link: {
    usage: 'rectrace link OLDER.json NEWER.json --out FILE',
    what: 'Links between two generations (document JSON written by `extract`).',
    options: ['out', 'overrides', 'lenient', 'match-settings', 'quiet', 'verbose'],
    example: 'rectrace link out/report-2022.1a2b3c4d-5e6f70.json out/report-2023.8e9f0a1b-2c3d4e.json --out links.json',
  },
  run: {
    usage: 'rectrace run <files or folders...> --out DIR',
    what: 'extract, group report series, link generations: series.json, links.json, lineage.json, CSVs and rectrace.sqlite in DIR.',
    options: [...BATCH, 'overrides', 'lenient', 'bom', 'match-settings'],
    example: 'rectrace run report-2022.pdf report-2023.docx --out out/',
  },
  export: {
    usage: 'rectrace export DIR',
    what: "(Re)write the CSVs and rectrace.sqlite of a run's output folder.",
    options: ['bom', 'quiet', 'verbose'],
    example: 'rectrace export out/ --bom',
  },
  diff: {
    usage: 'rectrace diff OLDER.json NEWER.json',
    what: 'New, dropped, carried and status-changed recommendations between two documents (Markdown, or JSON with --json).',
    options: ['overrides', 'lenient', 'match-settings', 'json', 'quiet', 'verbose'],
    example: 'rectrace diff out/report-2022.1a2b3c4d-5e6f70.json out/report-2023.8e9f0a1b-2c3d4e.json',
  },
  review: {
    usage: 'rectrace review OUT_DIR',
    what: 'A local review page for an output folder (127.0.0.1 only, with a token in its address).',
    options: ['overrides', 'port', 'by', 'verbose'],
    example: 'rectrace review out/',
  },
};

const HELP = `rectrace ${GENERATOR.version}: recommendation tables from reports, traced to their source

Usage:
  rectrace extract <files or folders...> --out DIR   one JSON per document + DIR/manifest.json
  rectrace link OLDER.json NEWER.json --out FILE     links between two generations
  rectrace run <files or folders...> --out DIR       extract, group series, link generations: series.json,
                                                     links.json, lineage.json, CSVs and rectrace.sqlite
  rectrace export DIR                                (re)write the CSVs and rectrace.sqlite of a run's folder
  rectrace diff OLDER.json NEWER.json                new, dropped, carried, status-changed (Markdown; --json)
  rectrace review OUT_DIR                            a local review page for an output folder (127.0.0.1 only)
  rectrace help [COMMAND]                            this help, or a command's options and an example
  rectrace version                                   the version

Options (each command takes those listed by "rectrace help COMMAND"):
${Object.values(OPTION_HELP).map((l) => `  ${l}`).join('\n')}
  -h, --help            help
  -v, --version         version

Exit codes: 0 all documents ok, 1 some failed (the rest are written), 2 usage error.`;

function commandHelp(command: Command): string {
  const c = COMMANDS[command];
  return `Usage: ${c.usage}

${c.what}

Options:
${c.options.map((o) => `  ${OPTION_HELP[o].replace('--out DIR  ', command === 'link' ? '--out FILE ' : '--out DIR  ')}`).join('\n')}
  -h, --help            this help

Example:
  ${c.example}`;
}

class UsageError extends Error {}

const OPTIONS = {
  out: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-size': { type: 'string' },
  'max-memory': { type: 'string' },
  force: { type: 'boolean' },
  'no-ocr': { type: 'boolean' },
  overrides: { type: 'string' },
  lenient: { type: 'boolean' },
  bom: { type: 'boolean' },
  json: { type: 'boolean' },
  port: { type: 'string' },
  by: { type: 'string' },
  'match-settings': { type: 'string' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/**
 * Options are checked before parsing: an unknown one gets a suggestion, one
 * that does nothing for this command is refused (rather than silently ignored).
 */
function checkOptionNames(argv: string[], command: Command | undefined): void {
  const allowed = new Set([...(command ? COMMANDS[command].options : Object.keys(OPTION_HELP)), 'help', 'version']);
  for (const arg of argv) {
    if (arg === '--') break;
    let name: string | undefined;
    if (arg.startsWith('--')) name = arg.slice(2).split('=')[0];
    else if (/^-[^-\d]/.test(arg)) name = ({ h: 'help', v: 'version' } as Record<string, string>)[arg[1]] ?? arg.slice(1);
    if (name === undefined) continue;
    if (name in OPTIONS) {
      if (!allowed.has(name)) {
        throw new UsageError(`--${name} does nothing for \`${command}\`; its options: ${COMMANDS[command!].options.map((o) => `--${o}`).join(' ')}`);
      }
      continue;
    }
    const best = [...allowed].map((o) => ({ o, d: distance(name, o) })).sort((a, b) => a.d - b.d)[0];
    const hint = best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? `; did you mean \`--${best.o}\`?` : '';
    throw new UsageError(`unknown option ${printable(arg.split('=')[0])}${hint}`);
  }
}

/**
 * One line, whatever a file name holds: control characters (newlines, carriage
 * returns, terminal escapes) and bidirectional overrides are shown escaped.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    if (named[c]) return named[c];
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

function positiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number`);
  return n;
}

function progressPrinter(quiet: boolean) {
  const tty = process.stderr.isTTY === true;
  return (p: BatchProgress) => {
    if (quiet) return;
    const e = p.entry;
    if (tty) {
      const width = 24;
      const filled = Math.round((p.done / Math.max(1, p.total)) * width);
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      const name = printable(path.basename(p.current ?? e?.source ?? '')).slice(0, 40);
      process.stderr.write(`\r[${bar}] ${p.done}/${p.total} ok ${p.done - p.failed} failed ${p.failed}  ${name}`.padEnd(100));
      if (p.done === p.total) process.stderr.write('\n');
    }
    if (e?.status === 'failed') {
      if (tty) process.stderr.write('\n');
      process.stderr.write(`rectrace: ${printable(e.source)}: ${e.error?.code}: ${printable(e.error?.message ?? '')}\n`);
      // With --verbose the runner passes on the stack of an internal error (never written to the manifest).
      if (p.stack) process.stderr.write(`${p.stack}\n`);
    } else if (!tty && e) {
      process.stderr.write(`ok ${printable(e.source)} (${e.recommendations ?? 0} recommendations)\n`);
    }
  };
}

function summary(result: BatchResult, started: number, quiet: boolean): void {
  if (quiet) return;
  const docs = result.manifest.documents;
  const failed = docs.filter((d) => d.status === 'failed').length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(
    `rectrace: ${docs.length - failed} ok, ${failed} failed, ${result.skipped} unchanged, ${result.recommendations} recommendations, ${seconds}s\n`,
  );
}

type Checked<T> = { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };

/** A JSON option file checked against its schema; any problem is a usage error naming the file. */
async function readJsonOption<T>(file: string | undefined, what: string, check: (raw: unknown) => Checked<T>): Promise<T | undefined> {
  if (!file) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read ${what} ${file}: ${(err as Error).message}`);
  }
  const parsed = check(raw);
  if (!parsed.success) throw new UsageError(`${what} ${file}: ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  return parsed.data;
}

/** `--out` must be a folder for extract/run and a file for link; the wrong kind is a usage error, found before any work. */
async function checkOut(out: string, command: Command): Promise<void> {
  let info;
  try {
    info = await stat(out);
  } catch {
    return; // created on write
  }
  if (command === 'link' && info.isDirectory()) throw new UsageError(`--out ${out} is a folder; \`link\` writes one file: give a file name`);
  if (command !== 'link' && !info.isDirectory()) throw new UsageError(`--out ${out} is a file; \`${command}\` writes a folder: give a folder name`);
}

function reportCorrections(problems: CorrectionProblem[]): void {
  for (const p of problems) process.stderr.write(`rectrace: overrides: correction ${p.id}: ${p.code}: ${printable(p.reason)}\n`);
}

/** The overrides file, checked against its schema: every problem at once, each with its line. */
async function readOverrides(file: string | undefined): Promise<ParsedOverrides | undefined> {
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read overrides ${file}: ${(err as Error).message}`);
  }
  const { parsed, problems } = parseOverrides(text);
  if (!parsed) throw new UsageError(overridesReport(file, problems, ['problem', 'problems']));
  return parsed;
}

function overridesReport(file: string, problems: OverridesProblem[], what: [one: string, many: string]): string {
  const list = problems.map((p) => `  ${file}:${p.line}: ${p.message}`).join('\n');
  return `overrides ${file}: ${problems.length} ${problems.length === 1 ? what[0] : what[1]} (nothing was linked)\n${list}`;
}

async function readLinkInput(file: string) {
  try {
    return await readDocumentJson(file);
  } catch (err) {
    if (!(err instanceof RectraceError)) throw err;
    throw new UsageError(`${err.code}: ${err.message}. \`link\` takes rectrace document JSON: run \`rectrace extract\` first and give two of the files it writes`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let verbose = argv.includes('--verbose');
  // A parser library's stray internal rejection (pdf.js on damaged files) must not end a batch
  // run in-process; the document it belongs to still fails or times out on its own.
  process.on('unhandledRejection', (reason) => {
    if (verbose) process.stderr.write(`rectrace: ignored stray rejection: ${printable(String((reason as Error)?.message ?? reason))}\n`);
  });
  let command: Command | undefined;
  try {
    const loose = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false });
    const word = loose.positionals[0];
    if (word === 'version') {
      process.stdout.write(`${GENERATOR.version}\n`);
      return 0;
    }
    if (word === 'help') {
      const topic = loose.positionals[1];
      if (topic && !(topic in COMMANDS)) throw new UsageError(`unknown command "${printable(topic)}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
      process.stdout.write(`${topic ? commandHelp(topic as Command) : HELP}\n`);
      return 0;
    }
    if (word !== undefined && !(word in COMMANDS)) {
      const near = Object.keys(COMMANDS).find((c) => distance(word, c) <= 2);
      throw new UsageError(`unknown command "${printable(word)}"${near ? `; did you mean \`${near}\`?` : `; commands: ${Object.keys(COMMANDS).join(', ')}, help, version`}`);
    }
    command = word as Command | undefined;
    checkOptionNames(argv, command);
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    verbose = values.verbose === true;
    if (verbose) process.env.RECTRACE_VERBOSE = '1';
    if (values.version) {
      process.stdout.write(`${GENERATOR.version}\n`);
      return 0;
    }
    if (!command) {
      process.stdout.write(`${HELP}\n`);
      return values.help ? 0 : 2;
    }
    if (values.help) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const rest = positionals.slice(1);
    const quiet = values.quiet === true;
    if (command === 'review') {
      if (rest.length !== 1) throw new UsageError('review takes one output folder: rectrace review OUT_DIR');
      const { startReview } = await import('./review/server.js');
      const server = await startReview({
        outDir: rest[0],
        overridesFile: values.overrides,
        port: values.port === undefined ? 0 : Math.floor(positiveNumber(values.port, 'port', 0)),
        by: values.by,
      }).catch((err: Error) => {
        throw new UsageError(`cannot review ${rest[0]}: ${err.message.split('\n')[0]}`);
      });
      process.stdout.write(`rectrace review: ${server.url}\n`);
      await server.closed;
      return 0;
    }
    if (command === 'export') {
      if (rest.length !== 1) throw new UsageError('export takes one folder: the --out of an earlier run');
      const written = await writeExports(rest[0], await readRunDir(rest[0]), { bom: values.bom === true });
      if (!quiet) process.stderr.write(`rectrace: wrote ${written.map(printable).join(', ')}\n`);
      return 0;
    }
    const parsedOverrides = await readOverrides(values.overrides);
    const overrides = parsedOverrides?.overrides;
    const settings = await readJsonOption(values['match-settings'], 'match settings', (raw) => MatchSettings.safeParse(raw));
    const lenient = values.lenient === true;
    /** Link decisions for two documents; unresolved entries stop (exit 2) unless --lenient. */
    const pairOverrides = (older: Awaited<ReturnType<typeof readDocumentJson>>, newer: Awaited<ReturnType<typeof readDocumentJson>>) => {
      if (!parsedOverrides) return undefined;
      const r = resolveOverrides(parsedOverrides, [older, newer]);
      const problems = [...r.problems];
      for (const d of r.links) {
        if (d.from.document !== older.source.id || d.to.document !== newer.source.id) problems.push({ line: d.line ?? 1, message: 'a decision must link OLDER to NEWER' });
      }
      if (problems.length && !lenient) throw new UsageError(overridesReport(values.overrides!, problems, ['unresolved entry', 'unresolved entries']));
      if (!quiet) for (const p of problems) process.stderr.write(`rectrace: warning: overrides line ${p.line}: ${p.message}; entry ignored\n`);
      return { decisions: r.links.filter((d) => d.from.document === older.source.id && d.to.document === newer.source.id) };
    };
    if (command === 'diff') {
      if (rest.length !== 2) throw new UsageError('diff takes two document JSON files: OLDER.json NEWER.json');
      const older = await readLinkInput(rest[0]);
      const newer = await readLinkInput(rest[1]);
      const links = await linkDocuments(older, newer, { overrides: pairOverrides(older, newer), settings });
      const diff = diffGenerations(older, newer, links);
      process.stdout.write(values.json ? stableJson(diff) : diffToMarkdown(diff, older, newer));
      return 0;
    }
    if (!values.out) throw new UsageError(`--out is required (${COMMANDS[command].usage})`);
    await checkOut(values.out, command);

    if (command === 'link') {
      if (rest.length !== 2) throw new UsageError('link takes two document JSON files: OLDER.json NEWER.json');
      const [older, newer] = [await readLinkInput(rest[0]), await readLinkInput(rest[1])].map((doc) => {
        const applied = applyCorrections(doc, overrides);
        reportCorrections(applied.problems);
        return applied.doc;
      });
      const links = await linkDocuments(older, newer, { overrides: pairOverrides(older, newer), settings });
      await writeFileAtomic(values.out, stableJson(links));
      if (!quiet) process.stderr.write(`rectrace: ${links.links.length} links written to ${printable(values.out)}\n`);
      return 0;
    }
    if (rest.length === 0) throw new UsageError(`${command} needs at least one file or folder`);

    const started = Date.now();
    const result = await runBatch(rest, {
      outDir: values.out,
      concurrency: Math.floor(positiveNumber(values.concurrency, 'concurrency', 0)) || undefined,
      timeoutMs: positiveNumber(values.timeout, 'timeout', 120) * 1000,
      maxBytes: positiveNumber(values['max-size'], 'max-size', 200) * 1024 * 1024,
      maxMemoryMb: values['max-memory'] === undefined ? undefined : positiveNumber(values['max-memory'], 'max-memory', 0),
      force: values.force === true,
      ocr: values['no-ocr'] !== true,
      onProgress: progressPrinter(quiet),
    });
    summary(result, started, quiet);
    const corrected = await correctOutputs(values.out, result.documents, result.manifest, overrides, (source) => extractFile(source, { ocr: values['no-ocr'] !== true }));
    reportCorrections(corrected.problems);
    if (!quiet && overrides?.corrections?.length) {
      process.stderr.write(`rectrace: ${corrected.applied} corrections applied, ${corrected.problems.length} not applied, ${corrected.elsewhere} for documents not in this run\n`);
    }

    if (command === 'run') {
      const docs = await Promise.all(result.documents.map((d) => readDocumentJson(d.outputPath)));
      const run = await buildRun(docs, { overrides: parsedOverrides, settings, lenient });
      if (run.problems.length && !lenient) throw new UsageError(overridesReport(values.overrides!, run.problems, ['unresolved entry', 'unresolved entries']));
      const written = [path.join(values.out, 'manifest.json')];
      written.push(...(await writeRunJson(values.out, run)));
      written.push(...(await writeExports(values.out, { documents: docs, series: run.series, linkSets: run.linkSets, lineage: run.lineage }, { bom: values.bom === true })));
      if (!quiet) process.stderr.write(formatRunSummary(run, written));
    }
    return result.manifest.documents.some((d) => d.status === 'failed') ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      const hint = command ? `rectrace help ${command}` : 'rectrace help';
      process.stderr.write(`rectrace: ${printable((err as Error).message)}\nTry "${hint}".\n`);
      return 2;
    }
    const info = toErrorInfo(err);
    process.stderr.write(`rectrace: ${info.code}: ${printable(info.message)}\n`);
    if (verbose && err instanceof Error && !(err instanceof RectraceError)) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
