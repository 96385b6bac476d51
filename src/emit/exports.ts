// The files a run writes besides the document JSONs: series.json, links.json,
// lineage.json, the tidy CSVs and rectrace.sqlite; and reading them back for
// `rectrace export DIR`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentJson, Lineage, LinkSet, Manifest, SeriesSet } from '../schema.js';
import { RectraceError } from '../errors.js';
import { lineageToCsv } from '../match/lineage.js';
import { toCsv } from './csv.js';
import { stableJson, writeFileAtomic } from './files.js';
import { buildTables, columnNames, type RunData } from './tables.js';
import { tablesToSqlite } from './sqlite.js';

export const EXPORT_FILES = ['recommendations.csv', 'links.csv', 'lineage.csv', 'lineage-wide.csv', 'rectrace.sqlite'] as const;

/** The tidy exports; returns the paths written. */
export async function writeExports(dir: string, run: RunData, options: { bom?: boolean } = {}): Promise<string[]> {
  const tables = buildTables(run);
  const bom = options.bom === true;
  const files: [string, string | Uint8Array][] = [
    ['recommendations.csv', toCsv(columnNames('recommendations'), tables.recommendations, bom)],
    ['links.csv', toCsv(columnNames('links'), tables.links, bom)],
    ['lineage.csv', toCsv(columnNames('thread_steps'), tables.thread_steps, bom)],
    ['lineage-wide.csv', (bom ? '\uFEFF' : '') + lineageToCsv(run.lineage)],
    ['rectrace.sqlite', await tablesToSqlite(tables)],
  ];
  const written: string[] = [];
  for (const [name, data] of files) {
    const file = path.join(dir, name);
    await writeFileAtomic(file, data);
    written.push(file);
  }
  return written;
}

/** series.json, links.json and lineage.json; returns the paths written. */
export async function writeRunJson(dir: string, run: Omit<RunData, 'documents'>): Promise<string[]> {
  const files: [string, unknown][] = [
    ['series.json', run.series],
    ['links.json', run.linkSets],
    ['lineage.json', run.lineage],
  ];
  const written: string[] = [];
  for (const [name, value] of files) {
    const file = path.join(dir, name);
    await writeFileAtomic(file, stableJson(value));
    written.push(file);
  }
  return written;
}

async function readJson<T>(file: string, check: { safeParse: (v: unknown) => { success: boolean; data?: T } }, what: string): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new RectraceError('input/not-found', `${file}: cannot read ${what}: ${(err as Error).message}`);
  }
  const parsed = check.safeParse(raw);
  if (!parsed.success) throw new RectraceError('input/unreadable', `${file} is not a rectrace ${what}`);
  return parsed.data as T;
}

/** A run's output folder read back (manifest, documents, series, links, lineage). */
export async function readRunDir(dir: string): Promise<RunData> {
  const manifest = await readJson(path.join(dir, 'manifest.json'), Manifest, 'manifest');
  const documents: DocumentJson[] = [];
  for (const e of manifest.documents) {
    if (e.status !== 'ok' || !e.output) continue;
    documents.push(await readJson(path.join(dir, e.output), DocumentJson, 'document JSON'));
  }
  return {
    documents,
    series: await readJson(path.join(dir, 'series.json'), SeriesSet, 'series.json'),
    linkSets: await readJson(path.join(dir, 'links.json'), LinkSet.array(), 'links.json'),
    lineage: await readJson(path.join(dir, 'lineage.json'), Lineage, 'lineage.json'),
  };
}
