// Tidy tables of a run, for CSV and SQLite: one row per thing, stable
// snake_case columns, every value a string, a number or empty.
import type { DocumentJson, Lineage, LinkSet, Message, Prov, RunMessage, SeriesSet } from '../schema.js';
import { refsOf } from '../match/refs.js';
import type { CsvValue } from './csv.js';

export type SqlType = 'TEXT' | 'INTEGER' | 'REAL';
export interface TableSpec {
  columns: readonly (readonly [name: string, type: SqlType, description: string])[];
  primaryKey: readonly string[];
  indexes: readonly (readonly string[])[];
}

export const TABLES = {
  documents: {
    columns: [
      ['document_id', 'TEXT', 'source id: first 16 hex digits of the SHA-256'],
      ['file', 'TEXT', 'file name'],
      ['path', 'TEXT', 'path as given'],
      ['format', 'TEXT', 'pdf, docx, html or text'],
      ['title', 'TEXT', 'document title'],
      ['date', 'TEXT', 'YYYY-MM or YYYY-MM-DD'],
      ['date_source', 'TEXT', 'title, text, header or metadata'],
      ['series_id', 'TEXT', 'series (series.json); empty when standalone'],
      ['generation', 'INTEGER', '0-based generation in its series'],
      ['copy_of', 'TEXT', 'document_id of the copy used for this generation, when this is another format of it'],
      ['pages', 'INTEGER', 'pages (PDF)'],
      ['recommendations', 'INTEGER', 'recommendations found'],
      ['sha256', 'TEXT', 'content hash'],
    ],
    primaryKey: ['document_id'],
    indexes: [['series_id', 'generation']],
  },
  recommendations: {
    columns: [
      ['rec_id', 'TEXT', 'document_id#full number (a sub-item with its parent, "1a"; with ~n for a repeated number)'],
      ['document_id', 'TEXT', ''],
      ['file', 'TEXT', ''],
      ['document_title', 'TEXT', ''],
      ['document_date', 'TEXT', ''],
      ['series_id', 'TEXT', ''],
      ['generation', 'INTEGER', ''],
      ['number', 'TEXT', 'printed number in canonical form, comparable across documents ("R3a" -> "3a"; "a." under "1." -> "a")'],
      ['parent', 'TEXT', 'full number of the item a sub-item is printed under ("1" for "a." under "1.")'],
      ['label', 'TEXT', 'number as published'],
      ['title', 'TEXT', 'a title printed with the number ("Recommendation 1: <title>")'],
      ['text', 'TEXT', 'clean text'],
      ['status_value', 'TEXT', 'not-started, in-progress, complete, not-applicable, on-track, at-risk, off-track, unknown'],
      ['status_raw', 'TEXT', 'status as published'],
      ['owner', 'TEXT', ''],
      ['update_text', 'TEXT', 'progress update column'],
      ['response', 'TEXT', ''],
      ['action', 'TEXT', ''],
      ['due_date', 'TEXT', 'date/timescale column'],
      ['section', 'TEXT', 'heading or spanning row above it'],
      ['pages', 'TEXT', 'PDF pages it spans, e.g. "3" or "3-4"'],
      ['first_page', 'INTEGER', ''],
      ['first_bbox', 'TEXT', 'PDF box on the first page: [left, bottom, right, top] in points, origin bottom-left'],
      ['source_path', 'TEXT', 'Word/HTML structural path of the first place'],
      ['line', 'INTEGER', 'first line (text, HTML)'],
    ],
    primaryKey: ['rec_id'],
    indexes: [['document_id', 'number'], ['series_id', 'generation']],
  },
  links: {
    columns: [
      ['from_document', 'TEXT', ''],
      ['from_number', 'TEXT', ''],
      ['to_document', 'TEXT', ''],
      ['to_number', 'TEXT', ''],
      ['series_id', 'TEXT', ''],
      ['from_generation', 'INTEGER', ''],
      ['score', 'REAL', '0..1; a person-decided link scores 1'],
      ['relation', 'TEXT', 'same, reworded, split, merged'],
      ['decided_by', 'TEXT', 'model or person'],
      ['decided_by_name', 'TEXT', "the person (the overrides entry's decidedBy)"],
      ['decided_on', 'TEXT', 'date of the decision'],
      ['note', 'TEXT', ''],
      ['shared_terms', 'TEXT', 'top shared stems, heaviest first'],
    ],
    primaryKey: ['from_document', 'from_number', 'to_document', 'to_number'],
    indexes: [['to_document', 'to_number'], ['series_id']],
  },
  series: {
    columns: [
      ['series_id', 'TEXT', '"s-" + first generation id prefix'],
      ['title', 'TEXT', 'title of the latest generation'],
      ['generations', 'INTEGER', ''],
      ['first_date', 'TEXT', ''],
      ['last_date', 'TEXT', ''],
      ['evidence', 'TEXT', 'why its documents were grouped'],
    ],
    primaryKey: ['series_id'],
    indexes: [],
  },
  threads: {
    columns: [
      ['thread_id', 'TEXT', 'generation:number steps joined by "/"'],
      ['series_id', 'TEXT', ''],
      ['steps', 'INTEGER', ''],
      ['origin_document', 'TEXT', ''],
      ['origin_number', 'TEXT', ''],
      ['latest_document', 'TEXT', ''],
      ['latest_number', 'TEXT', ''],
      ['latest_status', 'TEXT', ''],
      ['latest_status_value', 'TEXT', ''],
    ],
    primaryKey: ['thread_id'],
    indexes: [['series_id'], ['origin_document', 'origin_number']],
  },
  thread_steps: {
    columns: [
      ['thread_id', 'TEXT', ''],
      ['step', 'INTEGER', '0-based'],
      ['series_id', 'TEXT', ''],
      ['generation', 'INTEGER', ''],
      ['document_id', 'TEXT', ''],
      ['date', 'TEXT', "the generation's date"],
      ['number', 'TEXT', ''],
      ['text', 'TEXT', ''],
      ['status_value', 'TEXT', ''],
      ['status_raw', 'TEXT', ''],
      ['update_text', 'TEXT', ''],
      ['response', 'TEXT', ''],
      ['relation', 'TEXT', 'origin, or the relation of the link into this step'],
      ['link_score', 'REAL', 'score of the link into this step'],
      ['decided_by', 'TEXT', 'model or person'],
      ['decided_by_name', 'TEXT', ''],
      ['decided_on', 'TEXT', ''],
      ['note', 'TEXT', ''],
    ],
    primaryKey: ['thread_id', 'step'],
    indexes: [['document_id', 'number'], ['series_id', 'generation']],
  },
  messages: {
    columns: [
      ['message_id', 'INTEGER', 'sequential'],
      ['document_id', 'TEXT', 'empty for a message about the run'],
      ['scope', 'TEXT', 'document or run'],
      ['severity', 'TEXT', 'info, warning, error'],
      ['code', 'TEXT', 'stable rule id'],
      ['reason', 'TEXT', ''],
      ['page', 'INTEGER', ''],
      ['source_path', 'TEXT', ''],
      ['line', 'INTEGER', ''],
    ],
    primaryKey: ['message_id'],
    indexes: [['document_id'], ['code']],
  },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;
export type Tables = Record<TableName, CsvValue[][]>;

export interface RunData {
  /** Every extracted document, in manifest order. */
  documents: DocumentJson[];
  series: SeriesSet;
  linkSets: LinkSet[];
  lineage: Lineage;
}

const firstProv = (prov: Prov[]) => prov[0];

function pages(prov: Prov[]): string {
  const ps = prov.map((p) => p.page).filter((p): p is number => p !== undefined);
  if (!ps.length) return '';
  const [lo, hi] = [Math.min(...ps), Math.max(...ps)];
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}

export function buildTables(run: RunData): Tables {
  const place = new Map<string, { series: string; generation: number }>();
  const copyOf = new Map<string, string>();
  for (const s of run.series.series)
    for (const d of s.documents) {
      place.set(d.document, { series: s.id, generation: d.generation });
      for (const c of d.copies) {
        place.set(c.document, { series: s.id, generation: d.generation });
        copyOf.set(c.document, d.document);
      }
    }
  for (const d of run.series.standalone) for (const c of d.copies) copyOf.set(c.document, d.document);
  const seen = new Set<string>();
  const docs = run.documents.filter((d) => !seen.has(d.source.id) && seen.add(d.source.id));

  const documents = docs.map((d) => {
    const p = place.get(d.source.id);
    return [
      d.source.id, d.source.filename, d.source.path, d.source.format, d.document.title, d.document.date, d.document.dateSource,
      p?.series, p?.generation, copyOf.get(d.source.id), d.source.pages, d.recommendations.length, d.source.sha256,
    ];
  });

  const recommendations = docs.flatMap((d) => {
    const p = place.get(d.source.id);
    return d.recommendations.map((r) => {
      const f = firstProv(r.prov);
      const firstPdf = r.prov.find((x) => x.page !== undefined);
      return [
        r.id, d.source.id, d.source.filename, d.document.title, d.document.date, p?.series, p?.generation,
        r.number, r.parent, r.label, r.title, r.text, r.status?.value, r.status?.raw ?? r.columns.status,
        r.columns.owner, r.columns.update, r.columns.response, r.columns.action, r.columns.date, r.section,
        pages(r.prov), firstPdf?.page, firstPdf?.bbox ? JSON.stringify(firstPdf.bbox) : undefined, f?.path, f?.line,
      ];
    });
  });

  const docPlace = (id: string) => place.get(id);
  const links = run.linkSets.flatMap((ls) =>
    ls.links.map((l) => {
      const p = docPlace(l.from.document);
      const dec = l.evidence.decision;
      return [
        l.from.document, l.from.number, l.to.document, l.to.number, p?.series, p?.generation, l.score, l.relation,
        l.evidence.decidedBy, dec?.by, dec?.date, dec?.note ?? l.evidence.note, l.evidence.sharedTerms.slice(0, 5).join(' '),
      ];
    }),
  );

  const series = run.series.series.map((s) => {
    const dates = s.documents.map((d) => d.date).filter(Boolean) as string[];
    return [s.id, s.title, s.documents.length, dates[0], dates[dates.length - 1], s.evidence.map((e) => e.reason).join('; ')];
  });

  const genDate = new Map(run.lineage.generations.map((g) => [g.index, g.date]));
  const threads = run.lineage.threads.map((t) => {
    const [first, last] = [t.steps[0], t.steps[t.steps.length - 1]];
    return [t.id, t.series, t.steps.length, first.document, first.number, last.document, last.number, t.latestStatus, t.latestStatusValue];
  });
  const threadSteps = run.lineage.threads.flatMap((t) =>
    t.steps.map((s, i) => [
      t.id, i, t.series, s.generation, s.document, genDate.get(s.generation), s.number, s.text, s.statusValue, s.status,
      s.update, s.response, s.relation, s.score, s.decidedBy, s.decision?.by, s.decision?.date, s.decision?.note,
    ]),
  );

  const messages: CsvValue[][] = [];
  const pushMessage = (m: Message | RunMessage, document: string | undefined, scope: string) =>
    messages.push([messages.length + 1, document, scope, m.severity, m.code, m.reason, m.loc?.page, m.loc?.path, m.loc?.line]);
  for (const d of docs) for (const m of d.messages) pushMessage(m, d.source.id, 'document');
  for (const m of run.series.messages) pushMessage(m, m.document, 'run');

  return { documents, recommendations, links, series, threads, thread_steps: threadSteps, messages };
}

export const columnNames = (t: TableName): string[] => TABLES[t].columns.map((c) => c[0]);
