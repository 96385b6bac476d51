// Thin shell: arguments → pipeline → report → exit code. The only module that prints.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
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

const HELP = `rectrace ${GENERATOR.version}: recommendation tables from reports, traced to their source

Usage:
  rectrace extract <files or folders...> --out DIR   one JSON per document + DIR/manifest.json
  rectrace link OLDER.json NEWER.json --out FILE     links between two generations
  rectrace run <files or folders...> --out DIR       extract, group series, link generations: series.json,
                                                     links.json, lineage.json, CSVs and rectrace.sqlite
  rectrace export DIR                                (re)write the CSVs and rectrace.sqlite of a run's folder
  rectrace diff OLDER.json NEWER.json                new, dropped, carried, status-changed (Markdown; --json)
  rectrace review OUT_DIR                            a local review page for an output folder (127.0.0.1 only)

Options:
  --out DIR|FILE        where to write (required)
  --concurrency N       documents in parallel (default: number of cores)
  --timeout SECONDS     per-document time limit (default 120)
  --max-size MB         per-file size limit (default 200)
  --force               redo documents already extracted with this version
  --overrides FILE      researcher decisions (links: confirm, reject, add; series: join, leave) and
                        corrections (extractions); review: where to write them (default OUT_DIR/overrides.json)
  --lenient             unresolved overrides entries are warnings, not a usage error
  --bom                 CSVs start with a byte-order mark (for Excel)
  --json                diff: JSON instead of Markdown
  --port N              review: port (default: a free one)
  --by NAME             review: who decides (default: the user name)
  --match-settings FILE matcher weights and thresholds replacing the defaults (JSON)
  --quiet               no progress output
  --verbose             stack traces for internal errors
  -h, --help            this help
  -v, --version         version

Exit codes: 0 all documents ok, 1 some failed (the rest are written), 2 usage error.`;

class UsageError extends Error {}

const OPTIONS = {
  out: { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'max-size': { type: 'string' },
  force: { type: 'boolean' },
  overrides: { type: 'string' },
  lenient: { type: 'boolean' },
  bom: { type: 'boolean' },
  json: { type: 'boolean' },
  'match-settings': { type: 'string' },
  port: { type: 'string' },
  by: { type: 'string' },
  quiet: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

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
      const name = path.basename(p.current ?? e?.source ?? '').slice(0, 40);
      process.stderr.write(`\r[${bar}] ${p.done}/${p.total} ok ${p.done - p.failed} failed ${p.failed}  ${name}`.padEnd(100));
      if (p.done === p.total) process.stderr.write('\n');
    }
    if (e?.status === 'failed') {
      if (tty) process.stderr.write('\n');
      process.stderr.write(`rectrace: ${e.source}: ${e.error?.code}: ${e.error?.message}\n`);
      // With --verbose the runner keeps the stack of an internal error.
      const stack = (e as { stack?: string }).stack;
      if (stack) process.stderr.write(`${stack}\n`);
    } else if (!tty && e) {
      process.stderr.write(`ok ${e.source} (${e.recommendations ?? 0} recommendations)\n`);
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

/** A correction that no longer applies is always said (even with --quiet: it is a decision being lost). */
function reportCorrections(problems: CorrectionProblem[]): void {
  for (const p of problems) process.stderr.write(`rectrace: overrides: correction ${p.id}: ${p.code}: ${p.reason}\n`);
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

export async function main(argv: string[]): Promise<number> {
  let verbose = argv.includes('--verbose');
  // A parser library's stray internal rejection (pdf.js on damaged files) must not end a batch
  // run in-process; the document it belongs to still fails or times out on its own.
  process.on('unhandledRejection', (reason) => {
    if (verbose) process.stderr.write(`rectrace: ignored stray rejection: ${String((reason as Error)?.message ?? reason)}\n`);
  });
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    verbose = values.verbose === true;
    if (verbose) process.env.RECTRACE_VERBOSE = '1';
    if (values.version) {
      process.stdout.write(`${GENERATOR.version}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      process.stdout.write(`${HELP}\n`);
      return values.help ? 0 : 2;
    }
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
    const quiet = values.quiet === true;
    if (command === 'export') {
      if (rest.length !== 1) throw new UsageError('export takes one folder: the --out of an earlier run');
      const written = await writeExports(rest[0], await readRunDir(rest[0]), { bom: values.bom === true });
      if (!quiet) process.stderr.write(`rectrace: wrote ${written.join(', ')}\n`);
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
      const [older, newer] = await Promise.all(rest.map(readDocumentJson));
      const links = await linkDocuments(older, newer, { overrides: pairOverrides(older, newer), settings });
      const diff = diffGenerations(older, newer, links);
      process.stdout.write(values.json ? stableJson(diff) : diffToMarkdown(diff, older, newer));
      return 0;
    }
    if (!values.out) throw new UsageError('--out is required');

    if (command === 'link') {
      if (rest.length !== 2) throw new UsageError('link takes two document JSON files: OLDER.json NEWER.json');
      const [older, newer] = (await Promise.all(rest.map(readDocumentJson))).map((doc) => {
        const applied = applyCorrections(doc, overrides);
        reportCorrections(applied.problems);
        return applied.doc;
      });
      const links = await linkDocuments(older, newer, { overrides: pairOverrides(older, newer), settings });
      await writeFileAtomic(values.out, stableJson(links));
      if (!quiet) process.stderr.write(`rectrace: ${links.links.length} links written to ${values.out}\n`);
      return 0;
    }
    if (command !== 'extract' && command !== 'run') throw new UsageError(`unknown command "${command}"`);
    if (rest.length === 0) throw new UsageError(`${command} needs at least one file or folder`);

    const started = Date.now();
    const result = await runBatch(rest, {
      outDir: values.out,
      concurrency: Math.floor(positiveNumber(values.concurrency, 'concurrency', 0)) || undefined,
      timeoutMs: positiveNumber(values.timeout, 'timeout', 120) * 1000,
      maxBytes: positiveNumber(values['max-size'], 'max-size', 200) * 1024 * 1024,
      force: values.force === true,
      onProgress: progressPrinter(quiet),
    });
    summary(result, started, quiet);
    const corrected = await correctOutputs(values.out, result.documents, result.manifest, overrides, (source) => extractFile(source));
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
      process.stderr.write(`rectrace: ${(err as Error).message}\nTry "rectrace --help".\n`);
      return 2;
    }
    const info = toErrorInfo(err);
    process.stderr.write(`rectrace: ${info.code}: ${info.message}\n`);
    if (verbose && err instanceof Error && !(err instanceof RectraceError)) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
