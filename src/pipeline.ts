// parse → detect → normalise → emit for one document; the batch runner over
// many (src/batch/); linking generations.
import { readFile } from 'node:fs/promises';
import {
  DocumentJson,
  SCHEMA_VERSION,
  type DocumentJson as DocumentJsonT,
  type LinkSet,
  type Lineage,
  type MatchSettings,
  type Overrides,
} from './schema.js';
import { RectraceError } from './errors.js';
import { inputError, readInput, type InputFile } from './ingest/read.js';
import { sniffFormat } from './ingest/sniff.js';
import { parseDocument } from './parse/index.js';
import { detectRecommendations } from './detect/index.js';
import { GENERATOR } from './version.js';
import { checkModelSize } from './limits.js';

export interface ExtractOptions {
  signal?: AbortSignal;
}

/** One document's bytes → its validated JSON. Throws RectraceError on unreadable input. */
export async function extractInput(input: InputFile, options: ExtractOptions = {}): Promise<DocumentJsonT> {
  const format = sniffFormat(input.bytes, input.filename);
  const parsed = await parseDocument(format, input.bytes, { signal: options.signal });
  const model = parsed.value;
  checkModelSize(model.blocks);
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
    // Parsers keep their messages on the model (their Result carries the same list).
    messages: [...model.messages, ...detected.messages],
  };
  const checked = DocumentJson.safeParse(doc);
  if (!checked.success) {
    const first = checked.error.issues[0];
    throw new RectraceError('internal/error', `output failed schema validation at ${first.path.join('.')}: ${first.message}`);
  }
  return checked.data;
}

export async function extractFile(filePath: string, options: ExtractOptions & { maxBytes?: number } = {}): Promise<DocumentJsonT> {
  return extractInput(await readInput(filePath, options.maxBytes), options);
}

// ---------------------------------------------------------------------------
// Batches: src/batch/ (p-queue, worker threads, manifest, re-runs).

export { runBatch, type BatchOptions, type BatchProgress, type BatchResult } from './batch/run.js';
export { expandInputs } from './batch/inputs.js';

// ---------------------------------------------------------------------------
// Generations

/**
 * Reads a document JSON written by `extract`. Throws RectraceError only:
 * input/not-found, input/unreadable, or input/not-document-json (empty,
 * truncated or malformed JSON, or JSON of another shape).
 */
export async function readDocumentJson(file: string): Promise<DocumentJsonT> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw inputError(err, file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RectraceError('input/not-document-json', `${file} is not JSON (${text.trim() === '' ? 'empty' : (err as Error).message})`);
  }
  const parsed = DocumentJson.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new RectraceError('input/not-document-json', `${file} is not a rectrace document JSON (${first.path.join('.') || 'top level'}: ${first.message})`);
  }
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
  /** Weights and thresholds replacing the matcher's defaults. */
  settings?: MatchSettings;
}

export async function linkDocuments(older: DocumentJsonT, newer: DocumentJsonT, options: LinkOptions = {}): Promise<LinkSet> {
  const { matchGenerations } = await import('./match/index.js');
  return matchGenerations(older, newer, { overrides: options.overrides, weights: options.settings?.weights, thresholds: options.settings?.thresholds });
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
