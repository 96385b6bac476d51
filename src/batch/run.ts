// The batch runner: many inputs → one JSON per document and a manifest, with
// bounded concurrency (p-queue, its only user), per-file limits, failure
// isolation, atomic writes and incremental re-runs.
import path from 'node:path';
import PQueue from 'p-queue';
import { availableParallelism } from 'node:os';
import { SCHEMA_VERSION, type DocumentJson, type Manifest, type ManifestEntry } from '../schema.js';
import { RectraceError, toErrorInfo } from '../errors.js';
import { readInput, DEFAULT_MAX_BYTES, type InputFile } from '../ingest/read.js';
import { insideFolder, outputNameFor, stableJson, writeFileAtomic } from '../emit/files.js';
import { GENERATOR } from '../version.js';
import { extractInput, type ExtractOptions } from '../pipeline.js';
import { expandInputs } from './inputs.js';
import { readPreviousManifest, removeStaleTempFiles, reusable, reusableOutput } from './previous.js';
import { ocrAllowanceMs, withTimeout } from './timeout.js';
import { defaultMaxMemoryMb, WorkerError, WorkerPool, workerScript, type Extracted } from './worker-pool.js';

export interface BatchProgress {
  done: number;
  failed: number;
  skipped: number;
  total: number;
  /** The file most recently started. */
  current?: string;
  /** Set when a document has just finished. */
  entry?: ManifestEntry;
  /** With RECTRACE_VERBOSE, the stack of an internal error (printed by the CLI, never written to the manifest). */
  stack?: string;
}

export interface BatchOptions {
  outDir: string;
  /** Documents in parallel; default the number of cores. */
  concurrency?: number;
  /** Per-file timeout in milliseconds. */
  timeoutMs?: number;
  maxBytes?: number;
  /**
   * Limit on the process's memory in MB, outside the JS heap too (worker
   * threads only): over it, the longest-running document fails with
   * input/too-large. Default: defaultMaxMemoryMb(concurrency).
   */
  maxMemoryMb?: number;
  /** Redo documents whose hash and rectrace version are unchanged. */
  force?: boolean;
  /** Read PDF pages without a text layer by OCR (default true); false also redoes earlier outputs that used it. */
  ocr?: boolean;
  /**
   * Parse in worker threads (real parallelism, and a timed-out parse is
   * terminated). Default: when the worker script is available (built JS, or
   * tsx); `false` keeps everything in this thread.
   */
  workers?: boolean;
  onProgress?: (p: BatchProgress) => void;
  /** Replace the extraction step (tests). Runs in-process. */
  extract?: (input: InputFile, options: ExtractOptions) => Promise<DocumentJson>;
}

export interface BatchResult {
  manifest: Manifest;
  /** Documents that were extracted or reused, in input order (failed ones omitted). */
  documents: Array<{ entry: ManifestEntry; outputPath: string }>;
  recommendations: number;
  skipped: number;
  /** Whether parsing ran in worker threads. */
  workers: boolean;
}

export async function runBatch(inputs: string[], options: BatchOptions): Promise<BatchResult> {
  const files = await expandInputs(inputs);
  await removeStaleTempFiles(options.outDir);
  const previous = options.force ? null : await readPreviousManifest(options.outDir);
  const previousBySource = new Map(previous?.documents.map((d) => [d.source, d]) ?? []);
  const entries: Array<ManifestEntry | undefined> = new Array(files.length);
  const manifest: Manifest = {
    generator: GENERATOR,
    schemaVersion: SCHEMA_VERSION,
    run: { startedAt: new Date().toISOString(), complete: false },
    documents: [],
  };
  const progress: BatchProgress = { done: 0, failed: 0, skipped: 0, total: files.length };
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
  const script = options.extract || options.workers === false ? null : workerScript();
  const pool = script ? new WorkerPool(script, { size: concurrency, maxMemoryMb: options.maxMemoryMb ?? defaultMaxMemoryMb(concurrency) }) : null;

  // Manifest writes are serialised and coalesced: at most one write waits
  // behind the one in progress, and it lists everything finished by the time
  // it starts. Each write is a whole file, in input order.
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  const writeManifest = (): Promise<void> => {
    if (queued) return chain;
    queued = true;
    chain = chain
      .catch(() => undefined) // an earlier failure was reported to its own caller
      .then(() => {
        queued = false;
        manifest.documents = entries.filter((e): e is ManifestEntry => e !== undefined);
        return writeFileAtomic(path.join(options.outDir, 'manifest.json'), stableJson(manifest));
      });
    return chain;
  };

  const extractOne = async (input: InputFile): Promise<Extracted> => {
    if (pool) return pool.extract(input, options.timeoutMs, { ocr: options.ocr });
    const extract = options.extract ?? extractInput;
    const doc = await withTimeout((signal, extend) => extract(input, { signal, ocr: options.ocr, onOcr: (pages) => extend(ocrAllowanceMs(pages)) }), options.timeoutMs);
    return { json: stableJson(doc), recommendations: doc.recommendations.length };
  };

  const processFile = async (file: string): Promise<{ entry: ManifestEntry; reused: boolean }> => {
    const input = await readInput(file, options.maxBytes ?? DEFAULT_MAX_BYTES);
    const output = outputNameFor(file, input.sha256);
    if (!options.force) {
      const fromManifest = await reusable(options.outDir, previousBySource.get(file), input.sha256, options.ocr);
      if (fromManifest) return { entry: fromManifest, reused: true };
      // Written just before an earlier run was killed, not yet in its manifest.
      const count = await reusableOutput(options.outDir, output, file, input.sha256, options.ocr);
      if (count !== null) return { entry: okEntry(file, output, input.sha256, count), reused: true };
    }
    const { sha256 } = input;
    const done = await extractOne(input);
    await writeFileAtomic(insideFolder(options.outDir, output), done.json);
    return { entry: okEntry(file, output, sha256, done.recommendations), reused: false };
  };

  const queue = new PQueue({ concurrency });
  const task = (file: string, index: number) => async () => {
    progress.current = file;
    options.onProgress?.({ ...progress });
    let entry: ManifestEntry;
    let stack: string | undefined;
    try {
      const r = await processFile(file);
      entry = r.entry;
      if (r.reused) progress.skipped++;
    } catch (err) {
      entry = failedEntry(file, err);
      stack = internalStack(err);
      progress.failed++;
    }
    entries[index] = entry;
    progress.done++;
    options.onProgress?.({ ...progress, entry, ...(stack ? { stack } : {}) });
    // A manifest that cannot be written (disk full, permissions) ends the run
    // after the queue drains, with that error, rather than crashing mid-way.
    await writeManifest().catch((err) => {
      manifestError ??= err;
    });
  };
  let manifestError: unknown;
  try {
    files.forEach((file, i) => void queue.add(task(file, i)));
    await queue.onIdle();
  } finally {
    await pool?.close();
  }
  if (manifestError) throw manifestError;
  manifest.run.finishedAt = new Date().toISOString();
  manifest.run.complete = true;
  await writeManifest();
  const okEntries = entries.filter((e): e is ManifestEntry => e !== undefined && e.status === 'ok');
  return {
    manifest,
    documents: okEntries.map((entry) => ({ entry, outputPath: insideFolder(options.outDir, entry.output!) })),
    recommendations: okEntries.reduce((n, e) => n + (e.recommendations ?? 0), 0),
    skipped: progress.skipped,
    workers: pool !== null,
  };
}

function okEntry(source: string, output: string, sha256: string, recommendations: number): ManifestEntry {
  return { source, output, status: 'ok', sha256, recommendations };
}

function failedEntry(source: string, err: unknown): ManifestEntry {
  const info = err instanceof WorkerError ? { code: err.code, message: err.message } : toErrorInfo(err);
  return { source, output: null, status: 'failed', error: info };
}

/** Stack traces only for programmer errors, and only when asked (--verbose); they go to stderr, not the manifest. */
function internalStack(err: unknown): string | undefined {
  if (!process.env.RECTRACE_VERBOSE) return undefined;
  if (err instanceof WorkerError) return err.code === 'internal/error' ? err.workerStack : undefined;
  if (err instanceof RectraceError || !(err instanceof Error)) return undefined;
  return toErrorInfo(err).code === 'internal/error' ? err.stack : undefined;
}
