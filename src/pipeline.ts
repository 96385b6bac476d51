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
  type SeriesSet,
} from './schema.js';
import { resolveOverrides, type OverridesProblem, type ParsedOverrides, type ResolvedLinkDecision } from './overrides.js';
import { refsOf } from './match/refs.js';
import { RectraceError } from './errors.js';
import { inputError, readInput, type InputFile } from './ingest/read.js';
import { sniffFormat } from './ingest/sniff.js';
import { parseDocument } from './parse/index.js';
import { detectRecommendations } from './detect/index.js';
import { documentDate } from './normalise/dates.js';
import { normaliseText } from './normalise/text.js';
import { GENERATOR } from './version.js';
import { checkModelSize } from './limits.js';

export interface ExtractOptions {
  signal?: AbortSignal;
  /** Read PDF pages without a text layer by OCR (default true). */
  ocr?: boolean;
  /** Told how many pages OCR is about to read, before it starts (a time limit allows for them). */
  onOcr?: (pages: number) => void;
}

/** One document's bytes → its validated JSON. Throws RectraceError on unreadable input. */
export async function extractInput(input: InputFile, options: ExtractOptions = {}): Promise<DocumentJsonT> {
  const format = sniffFormat(input.bytes, input.filename);
  const parsed = await parseDocument(format, input.bytes, { signal: options.signal, ocr: options.ocr, onOcr: options.onOcr });
  const model = parsed.value;
  checkModelSize(model.blocks);
  const detected = detectRecommendations(model);
  // The date and where it was read are decided here, from what detect found (title, dated headers) and the model.
  const dated = documentDate({
    title: detected.title,
    paragraphs: model.blocks
      .filter((b) => b.type === 'paragraph')
      .map((b) => normaliseText(b.orig))
      .filter(Boolean)
      .slice(0, 12),
    headerDates: detected.tables.flatMap((t) => t.columns.filter((c) => c.date && c.role !== 'other').map((c) => c.date as string)),
    metaDate: model.meta.date,
  });
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
      ...(model.pageSizes ? { pageSizes: model.pageSizes } : {}),
    },
    document: {
      ...(detected.title ? { title: detected.title } : {}),
      ...(dated.date ? { date: dated.date, dateSource: dated.dateSource } : {}),
      ...(Object.keys(detected.glossary).length ? { glossary: detected.glossary } : {}),
    },
    tables: detected.tables.map((t) => ({ ...t, id: `${sourceId}-${t.id}` })),
    recommendations: detected.recommendations.map((r) => ({
      ...r,
      id: `${sourceId}#${r.id}`,
      ...(r.table ? { table: `${sourceId}-${r.table}` } : {}),
    })),
    // Parsers keep their messages on the model (their Result carries the same list).
    messages: [...model.messages, ...detected.messages, ...dated.messages],
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

/** A run's series, links and lineage, before anything is written. */
export interface RunOutputs {
  series: SeriesSet;
  /** Every series' generations, series after series, each oldest first. */
  ordered: DocumentJsonT[];
  /** Series id of each of `ordered`. */
  seriesIds: string[];
  /** Links between consecutive generations of each series. */
  linkSets: LinkSet[];
  lineage: Lineage;
  /** Overrides entries that do not resolve (each with its line in the file). */
  problems: OverridesProblem[];
}

/**
 * Group documents into series, link consecutive generations of each series
 * (with a person's decisions), and build the lineage. With `lenient`, problems
 * in the overrides become warnings in `series.messages`; otherwise the caller
 * is expected to stop on them (they are returned either way).
 */
export async function buildRun(
  docs: DocumentJsonT[],
  options: { settings?: MatchSettings; overrides?: ParsedOverrides; lenient?: boolean } = {},
): Promise<RunOutputs> {
  const { groupSeries } = await import('./match/series.js');
  const { buildLineage } = await import('./match/index.js');
  const resolved = options.overrides ? resolveOverrides(options.overrides, docs) : { links: [], series: [], problems: [] };
  const { seriesSet, generations, copyOf } = groupSeries(docs, { settings: options.settings, decisions: resolved.series });
  const problems = [...resolved.problems];
  // A link decision must name consecutive generations of one series (a copy stands for its generation).
  const place = new Map<string, { series: number; generation: number }>();
  generations.forEach((gens, s) => gens.forEach((d, g) => place.set(d.source.id, { series: s, generation: g })));
  const byId = new Map(docs.map((d) => [d.source.id, d]));
  const decisions: ResolvedLinkDecision[] = [];
  for (const d of resolved.links) {
    const from = copyOf.get(d.from.document) ?? d.from.document;
    const to = copyOf.get(d.to.document) ?? d.to.document;
    const [pf, pt] = [place.get(from), place.get(to)];
    if (!pf || !pt || pf.series !== pt.series || pt.generation !== pf.generation + 1) {
      problems.push({
        line: d.line ?? 1,
        message: `decision ${d.action} ${byId.get(d.from.document)?.source.path} ${d.from.number} -> ${byId.get(d.to.document)?.source.path} ${d.to.number}: the documents are not consecutive generations of one series (see series.json; a "join" entry in "series" can put them in one)`,
      });
      continue;
    }
    const refs = (id: string) => new Set(refsOf(byId.get(id)!.recommendations));
    if (!refs(from).has(d.from.number) || !refs(to).has(d.to.number)) {
      problems.push({ line: d.line ?? 1, message: `decision ${d.action}: ${d.from.number} -> ${d.to.number} are not both in the copies used for these generations (${byId.get(from)?.source.path}, ${byId.get(to)?.source.path})` });
      continue;
    }
    decisions.push({ ...d, from: { ...d.from, document: from }, to: { ...d.to, document: to } });
  }
  problems.sort((a, b) => a.line - b.line);
  if (options.lenient) {
    for (const p of problems) seriesSet.messages.push({ severity: 'warning', code: 'overrides/unresolved', reason: `overrides line ${p.line}: ${p.message}; entry ignored` });
  }
  // A rejected link leaves no row in the links; the decision is kept as a run message (series.json, messages table).
  for (const d of decisions.filter((x) => x.action === 'reject')) {
    const who = [d.decidedBy, d.date].filter(Boolean).join(', ');
    seriesSet.messages.push({
      severity: 'info',
      code: 'overrides/rejected',
      reason: `link ${d.from.number} -> ${d.to.number} (${byId.get(d.from.document)?.source.path} -> ${byId.get(d.to.document)?.source.path}) rejected by a person${who ? ` (${who})` : ''}${d.note ? `: ${d.note}` : ''}`,
      document: d.to.document,
    });
  }
  const overrides: Overrides = { decisions };
  const ordered: DocumentJsonT[] = [];
  const seriesIds: string[] = [];
  const linkSets: LinkSet[] = [];
  const boundaries: (LinkSet | null)[] = [];
  for (const [s, gens] of generations.entries()) {
    for (let g = 0; g < gens.length; g++) {
      ordered.push(gens[g]);
      seriesIds.push(seriesSet.series[s].id);
      if (g + 1 < gens.length) {
        const ls = await linkDocuments(gens[g], gens[g + 1], { overrides, settings: options.settings });
        linkSets.push(ls);
        boundaries.push(ls);
      } else boundaries.push(null);
    }
  }
  const lineage = buildLineage(ordered, boundaries, seriesIds);
  return { series: seriesSet, ordered, seriesIds, linkSets, lineage, problems };
}
