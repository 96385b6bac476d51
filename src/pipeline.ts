// parse → detect → normalise → emit for one document; the batch runner over
// many; linking generations. The only module that uses p-queue.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import PQueue from 'p-queue';
import { availableParallelism } from 'node:os';
import {
  DocumentJson,
  Manifest,
  SCHEMA_VERSION,
  type DocumentJson as DocumentJsonT,
  type LinkSet,
  type Lineage,
  type ManifestEntry,
  type Overrides,
} from './schema.js';
import { RectraceError, toErrorInfo } from './errors.js';
import { readInput, DEFAULT_MAX_BYTES, type InputFile } from './ingest/read.js';
import { sniffFormat } from './ingest/sniff.js';
import { parseDocument } from './parse/index.js';
import { detectRecommendations } from './detect/index.js';
import { insideFolder, outputNameFor, stableJson, writeFileAtomic } from './emit/files.js';
import { GENERATOR } from './version.js';

export interface ExtractOptions {
  signal?: AbortSignal;
}

/** One document's bytes → its validated JSON. Throws RectraceError on unreadable input. */
export async function extractInput(input: InputFile, options: ExtractOptions = {}): Promise<DocumentJsonT> {
  const format = sniffFormat(input.bytes);
  const parsed = await parseDocument(format, input.bytes, { signal: options.signal });
  const model = parsed.value;
  const detected = detectRecommendations(model);
  const sourceId = input.sha256.slice(0, 16);
  const doc: DocumentJsonT = {
    schemaVersion: SCHEMA_VERSION,
    generator: GENERATOR,
    source: {
      id: sourceId,
      path: input.path,
      filename: input.filename,
      format,
      sha256: input.sha256,
      bytes: input.bytes.length,
      ...(model.pages ? { pages: model.pages } : {}),
    },
    document: {
      ...(detected.title ? { title: detected.title } : {}),
      ...(detected.date ? { date: detected.date } : {}),
      ...(Object.keys(detected.glossary).length ? { glossary: detected.glossary } : {}),
    },
    tables: detected.tables.map((t) => ({ ...t, id: `${sourceId}-${t.id}` })),
    recommendations: detected.recommendations.map((r) => ({
      ...r,
      id: `${sourceId}#${r.id}`,
      ...(r.table ? { table: `${sourceId}-${r.table}` } : {}),
    })),
    messages: uniqueMessages([...parsed.messages, ...model.messages, ...detected.messages]),
  };
  const checked = DocumentJson.safeParse(doc);
  if (!checked.success) {
    const first = checked.error.issues[0];
    throw new RectraceError('internal/error', `output failed schema validation at ${first.path.join('.')}: ${first.message}`);
  }
  return checked.data;
}

// Parsers may report a message on the Result and on the model; keep it once.
function uniqueMessages(messages: DocumentJsonT['messages']): DocumentJsonT['messages'] {
  const seen = new Set<string>();
  return messages.filter((m) => {
    const key = JSON.stringify(m);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function extractFile(filePath: string, options: ExtractOptions & { maxBytes?: number } = {}): Promise<DocumentJsonT> {
  return extractInput(await readInput(filePath, options.maxBytes), options);
}

// ---------------------------------------------------------------------------
// Batches

// In folders, skip what is plainly not a report (rectrace's own outputs, notes);
// everything else is sniffed by content and reported if unsupported.
const SKIPPED_IN_FOLDERS = /^readme|\.(json|csv|tmp|log)$/i;

/** Files and folders as given → files, folders walked recursively in sorted order. */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch {
      out.push(input); // reported as input/not-found by the runner
      continue;
    }
    if (!info.isDirectory()) {
      out.push(input);
      continue;
    }
    const walk = async (dir: string): Promise<void> => {
      const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else if (e.isFile() && !SKIPPED_IN_FOLDERS.test(e.name)) out.push(full);
      }
    };
    await walk(input);
  }
  return out;
}

export interface BatchProgress {
  done: number;
  failed: number;
  skipped: number;
  total: number;
  current?: string;
  entry?: ManifestEntry;
}

export interface BatchOptions {
  outDir: string;
  concurrency?: number;
  /** Per-file timeout in milliseconds. */
  timeoutMs?: number;
  maxBytes?: number;
  /** Redo documents whose hash and rectrace version are unchanged. */
  force?: boolean;
  onProgress?: (p: BatchProgress) => void;
  /** Replace the extraction step (tests, worker threads). */
  extract?: (input: InputFile, options: ExtractOptions) => Promise<DocumentJsonT>;
}

export interface BatchResult {
  manifest: Manifest;
  /** Documents that were extracted or reused, in input order (failed ones omitted). */
  documents: Array<{ entry: ManifestEntry; outputPath: string }>;
  recommendations: number;
  skipped: number;
}

async function readPreviousManifest(outDir: string): Promise<Manifest | null> {
  try {
    const parsed = Manifest.safeParse(JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function reusable(outDir: string, entry: ManifestEntry | undefined, sha: string): Promise<ManifestEntry | null> {
  if (!entry || entry.status !== 'ok' || !entry.output || entry.sha256 !== sha) return null;
  try {
    const doc = JSON.parse(await readFile(insideFolder(outDir, entry.output), 'utf8')) as DocumentJsonT;
    if (doc.generator?.version !== GENERATOR.version || doc.source?.sha256 !== sha) return null;
    return entry;
  } catch {
    return null;
  }
}

function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number | undefined): Promise<T> {
  const controller = new AbortController();
  if (!ms) return work(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new RectraceError('input/timeout', `gave up after ${ms} ms (--timeout)`));
    }, ms);
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

export async function runBatch(inputs: string[], options: BatchOptions): Promise<BatchResult> {
  const files = await expandInputs(inputs);
  const previous = options.force ? null : await readPreviousManifest(options.outDir);
  const previousBySource = new Map(previous?.documents.map((d) => [d.source, d]) ?? []);
  const entries: Array<ManifestEntry | undefined> = new Array(files.length);
  const recCounts: number[] = new Array(files.length).fill(0);
  const manifest: Manifest = {
    generator: GENERATOR,
    schemaVersion: SCHEMA_VERSION,
    run: { startedAt: new Date().toISOString(), complete: false },
    documents: [],
  };
  const progress: BatchProgress = { done: 0, failed: 0, skipped: 0, total: files.length };

  // Manifest writes are serialised; each leaves a whole file listing what is finished so far.
  let manifestWrite: Promise<void> = Promise.resolve();
  const writeManifest = () => {
    manifest.documents = entries.filter((e): e is ManifestEntry => e !== undefined);
    const snapshot = stableJson(manifest);
    manifestWrite = manifestWrite.then(() => writeFileAtomic(path.join(options.outDir, 'manifest.json'), snapshot));
    return manifestWrite;
  };

  const extract = options.extract ?? extractInput;
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency ?? availableParallelism()) });
  const task = (file: string, index: number) => async () => {
    progress.current = file;
    let entry: ManifestEntry;
    try {
      const input = await readInput(file, options.maxBytes ?? DEFAULT_MAX_BYTES);
      const reuse = await reusable(options.outDir, previousBySource.get(file), input.sha256);
      if (reuse) {
        entry = reuse;
        progress.skipped++;
        recCounts[index] = reuse.recommendations ?? 0;
      } else {
        const doc = await withTimeout((signal) => extract(input, { signal }), options.timeoutMs);
        const output = outputNameFor(file, input.sha256);
        await writeFileAtomic(insideFolder(options.outDir, output), stableJson(doc));
        entry = { source: file, output, status: 'ok', sha256: input.sha256, recommendations: doc.recommendations.length };
        recCounts[index] = doc.recommendations.length;
      }
    } catch (err) {
      entry = { source: file, output: null, status: 'failed', error: toErrorInfo(err) };
      if (process.env.RECTRACE_VERBOSE && err instanceof Error && !(err instanceof RectraceError)) {
        (entry as ManifestEntry & { stack?: string }).stack = err.stack;
      }
      progress.failed++;
    }
    entries[index] = entry;
    progress.done++;
    options.onProgress?.({ ...progress, entry });
    await writeManifest();
  };
  files.forEach((file, i) => void queue.add(task(file, i)));
  await queue.onIdle();
  manifest.run.finishedAt = new Date().toISOString();
  manifest.run.complete = true;
  await writeManifest();
  const documents = entries
    .filter((e): e is ManifestEntry => e !== undefined && e.status === 'ok')
    .map((entry) => ({ entry, outputPath: insideFolder(options.outDir, entry.output!) }));
  return { manifest, documents, recommendations: recCounts.reduce((a, b) => a + b, 0), skipped: progress.skipped };
}

// ---------------------------------------------------------------------------
// Generations

export async function readDocumentJson(file: string): Promise<DocumentJsonT> {
  const parsed = DocumentJson.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) throw new RectraceError('input/unreadable', `${file} is not a rectrace document JSON`);
  return parsed.data;
}

/** Order documents as generations: by stated date, else the order given (stable). */
export function orderGenerations(docs: DocumentJsonT[]): DocumentJsonT[] {
  return docs
    .map((doc, i) => ({ doc, i }))
    .sort((a, b) => {
      const da = a.doc.document.date;
      const db = b.doc.document.date;
      if (da && db && da !== db) return da < db ? -1 : 1;
      return a.i - b.i;
    })
    .map((x) => x.doc);
}

export interface LinkOptions {
  overrides?: Overrides;
}

export async function linkDocuments(older: DocumentJsonT, newer: DocumentJsonT, options: LinkOptions = {}): Promise<LinkSet> {
  const { matchGenerations } = await import('./match/index.js');
  return matchGenerations(older, newer, { overrides: options.overrides });
}

/**
 * The same report published in several formats (PDF, Word, HTML) is one
 * generation, not several: documents with the same stated date and title are
 * kept once, the first given.
 */
export function sameReportOnce(docs: DocumentJsonT[]): DocumentJsonT[] {
  const seen = new Set<string>();
  return docs.filter((d) => {
    const { date, title } = d.document;
    if (!date || !title) return true;
    const key = `${date}|${title.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export async function buildGenerationLineage(
  docs: DocumentJsonT[],
  options: LinkOptions = {},
): Promise<{ ordered: DocumentJsonT[]; linkSets: LinkSet[]; lineage: Lineage; csv: string }> {
  const { buildLineage, lineageToCsv } = await import('./match/index.js');
  const ordered = orderGenerations(sameReportOnce(docs.filter((d) => d.recommendations.length > 0)));
  const linkSets: LinkSet[] = [];
  for (let i = 0; i + 1 < ordered.length; i++) linkSets.push(await linkDocuments(ordered[i], ordered[i + 1], options));
  const lineage = buildLineage(ordered, linkSets);
  return { ordered, linkSets, lineage, csv: lineageToCsv(lineage) };
}
