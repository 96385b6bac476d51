// The single source of rectrace's published types. Everything a downstream
// tracker reads is defined here; `npm run schema` writes schema/*.json from it.
import { z } from 'zod';

export const SCHEMA_VERSION = '1.0.0';

export const Format = z.enum(['pdf', 'docx', 'html', 'text']);
export type Format = z.infer<typeof Format>;

/** A box in PDF user-space points, origin at the page's bottom-left corner, y up: [x0, y0, x1, y1] with x0<=x1, y0<=y1. */
export const BBox = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .describe('PDF points, origin bottom-left of the page (y grows upward): [left, bottom, right, top]');
export type BBox = z.infer<typeof BBox>;

/**
 * Where an item came from. PDF items carry page and bbox; Word and HTML items a
 * structural path; text exports a line range. Table coordinates (table, row,
 * cell, paragraph) are 0-based indexes into the source's own structure.
 */
export const Prov = z.object({
  kind: Format,
  page: z.number().int().positive().optional().describe('1-based page number (PDF)'),
  bbox: BBox.optional(),
  path: z
    .string()
    .optional()
    .describe('structural path: Word "body/4/tbl/row/2/cell/1/p/0", HTML element path "html/body/table[1]/tr[3]/td[2]"'),
  line: z.number().int().positive().optional().describe('1-based first line (text, HTML)'),
  lineEnd: z.number().int().positive().optional().describe('1-based last line, inclusive'),
  table: z.number().int().nonnegative().optional(),
  row: z.number().int().nonnegative().optional(),
  cell: z.number().int().nonnegative().optional(),
  paragraph: z.number().int().nonnegative().optional(),
  headings: z.array(z.string()).optional().describe('headings above the item, outermost first (Word, HTML)'),
});
export type Prov = z.infer<typeof Prov>;

export const Severity = z.enum(['info', 'warning', 'error']);
export const Message = z.object({
  severity: Severity,
  code: z.string().describe('stable rule id such as "text/columns-reassembled"'),
  reason: z.string(),
  loc: Prov.optional(),
});
export type Message = z.infer<typeof Message>;

export const Role = z.enum(['number', 'recommendation', 'action', 'response', 'owner', 'update', 'status', 'date', 'other']);
export type Role = z.infer<typeof Role>;
/** Roles that become `recommendation.columns` keys. */
export const ColumnRole = z.enum(['action', 'response', 'owner', 'update', 'status', 'date']);
export type ColumnRole = z.infer<typeof ColumnRole>;

export const TableMethod = z.enum([
  'pdf-tagged',
  'pdf-ruled',
  'pdf-borderless',
  'docx',
  'html',
  'text-tsv',
  'text-columns',
  'text-markdown',
]);
export type TableMethod = z.infer<typeof TableMethod>;

export const Cell = z.object({
  text: z.string().describe('clean text'),
  orig: z.string().describe('raw text as extracted'),
  rowSpan: z.number().int().positive(),
  colSpan: z.number().int().positive(),
  col: z.number().int().nonnegative().describe('grid column where the cell starts'),
  notes: z.array(z.string()).optional().describe('footnote markers set apart from the text (superscripts in a PDF)'),
  prov: z.array(Prov),
});
export type Cell = z.infer<typeof Cell>;

export const RowKind = z.enum(['header', 'body', 'section', 'note']);
export const Row = z.object({
  kind: RowKind,
  cells: z.array(Cell),
  prov: z.array(Prov),
});
export type Row = z.infer<typeof Row>;

export const Column = z.object({
  index: z.number().int().nonnegative(),
  header: z.string().describe('raw header text, empty when the table has none'),
  role: Role,
  date: z.string().optional().describe('date stated in the header, e.g. "Update July 2023" -> 2023-07'),
});
export type Column = z.infer<typeof Column>;

export const Table = z.object({
  id: z.string(),
  method: TableMethod,
  confidence: z.number().min(0).max(1),
  columns: z.array(Column),
  holdsRecommendations: z.boolean(),
  section: z.string().optional(),
  rows: z.array(Row),
  prov: z.array(Prov),
});
export type Table = z.infer<typeof Table>;

export const StatusValue = z.enum([
  'not-started',
  'in-progress',
  'complete',
  'not-applicable',
  'on-track',
  'at-risk',
  'off-track',
  'unknown',
]);
export type StatusValue = z.infer<typeof StatusValue>;

export const Recommendation = z.object({
  id: z.string().describe('source id + "#" + canonical number (+ "~n" for a repeated number)'),
  number: z.string().describe('canonical, comparable across documents: "9", "3a", "2.1"'),
  label: z.string().describe('the number as published: "R3a", "Recommendation 9", "9."'),
  text: z.string(),
  orig: z.string(),
  columns: z.partialRecord(ColumnRole, z.string()).describe('clean text of each role column'),
  columnsOrig: z.partialRecord(ColumnRole, z.string()).describe('raw text of each role column'),
  status: z.object({ value: StatusValue, raw: z.string() }).optional(),
  section: z.string().optional(),
  notes: z.array(z.string()).optional().describe('footnote markers attached to the recommendation text'),
  table: z.string().optional().describe('id of the table it came from; absent for running text'),
  prov: z.array(Prov).min(1),
  decidedBy: z.literal('person').optional().describe('set when a person confirmed or corrected this item (overrides `corrections`)'),
  corrections: z.array(z.string()).optional().describe('ids of the corrections applied to it, in order'),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const Source = z.object({
  id: z.string().describe('first 16 hex digits of sha256'),
  path: z.string().describe('path as given'),
  filename: z.string(),
  format: Format,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  pages: z.number().int().positive().optional(),
  pageSizes: z
    .array(
      z.object({
        page: z.number().int().positive(),
        width: z.number().describe('PDF points'),
        height: z.number().describe('PDF points'),
        rotation: z.number().int().describe('degrees clockwise the page is shown turned (0, 90, 180, 270)'),
        origin: z.tuple([z.number(), z.number()]).optional().describe("the page box's bottom-left corner in user space, when not [0, 0]"),
      }),
    )
    .optional()
    .describe('PDF: the size of each page as stored (before rotation), to place `prov.bbox` on a rendering'),
});
export type Source = z.infer<typeof Source>;

export const DocumentJson = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  generator: z.object({ name: z.literal('rectrace'), version: z.string() }),
  source: Source,
  document: z.object({
    title: z.string().optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}(-\d{2})?$/)
      .optional(),
    glossary: z.record(z.string(), z.string()).optional().describe('acronyms the document defines'),
  }),
  tables: z.array(Table),
  recommendations: z.array(Recommendation),
  messages: z.array(Message),
  corrections: z
    .array(z.object({ id: z.string(), action: z.string(), applied: z.boolean(), code: z.string().optional() }))
    .optional()
    .describe('corrections from the overrides file that name this document, in order, and whether each applied'),
});
export type DocumentJson = z.infer<typeof DocumentJson>;

export const ErrorInfo = z.object({ code: z.string(), message: z.string() });

export const ManifestEntry = z.object({
  source: z.string().describe('path as given'),
  output: z.string().nullable().describe('relative to the output folder; null when failed'),
  status: z.enum(['ok', 'failed']),
  sha256: z.string().optional(),
  recommendations: z.number().int().nonnegative().optional(),
  error: ErrorInfo.optional(),
});
export type ManifestEntry = z.infer<typeof ManifestEntry>;

export const Manifest = z.object({
  generator: z.object({ name: z.literal('rectrace'), version: z.string() }),
  schemaVersion: z.literal(SCHEMA_VERSION),
  run: z.object({ startedAt: z.string(), finishedAt: z.string().optional(), complete: z.boolean() }),
  documents: z.array(ManifestEntry),
});
export type Manifest = z.infer<typeof Manifest>;

export const Relation = z.enum(['same', 'reworded', 'split', 'merged']);
export type Relation = z.infer<typeof Relation>;

export const Evidence = z.object({
  tfidf: z.number().describe('TF-IDF cosine over stemmed tokens, acronyms expanded'),
  semantic: z.number().optional().describe('soft word overlap through word vectors (near-synonyms count), rescaled so unrelated texts read 0'),
  alignedTerms: z
    .array(z.string())
    .optional()
    .describe('different words the semantic feature paired, closest first, as "older~newer"'),
  dice: z.number().describe('Dice coefficient over character bigrams'),
  context: z.number().optional().describe("TF-IDF cosine of the text plus the older side's response and the newer side's update"),
  phrases: z.number().optional().describe('TF-IDF cosine over adjacent word pairs'),
  keyTerms: z.number().describe("share of the shorter side's key terms that the other side has"),
  sameNumber: z.boolean(),
  sameSection: z.boolean().optional(),
  sharedTerms: z.array(z.string()).describe('stems that carried the score, heaviest first'),
  decidedBy: z.enum(['model', 'person']),
  note: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const DocRef = z.object({ document: z.string(), number: z.string() });
export const Link = z.object({
  from: DocRef,
  to: DocRef,
  score: z.number().min(0).max(1),
  relation: Relation,
  evidence: Evidence,
});
export type Link = z.infer<typeof Link>;

export const LinkSet = z.object({
  from: z.object({ document: z.string(), title: z.string().optional(), date: z.string().optional(), path: z.string() }),
  to: z.object({ document: z.string(), title: z.string().optional(), date: z.string().optional(), path: z.string() }),
  links: z.array(Link),
  unmatched: z.object({ from: z.array(z.string()), to: z.array(z.string()) }),
});
export type LinkSet = z.infer<typeof LinkSet>;

// Corrections to an extraction, made by a person (usually on the review page).
// Each is keyed by the document's sha256 and a recommendation id, says who and
// when, and is re-applied by every extract, link and run (src/corrections/).
const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const CorrectionBase = {
  id: z.string().min(1).describe('stable id of this correction (the review page makes "c-" + 12 hex digits)'),
  document: Sha256.describe("the document's sha256: a correction applies to these exact bytes only"),
  source: z.string().optional().describe('path or file name of the document when corrected, to report a correction whose document changed'),
  by: z.string().min(1).describe('who decided'),
  at: z.string().min(1).describe('when (ISO 8601)'),
  note: z.string().optional(),
};
const RecommendationFields = z
  .object({
    number: z.string().min(1),
    label: z.string(),
    text: z.string(),
    columns: z.partialRecord(ColumnRole, z.string()),
  })
  .partial()
  .strict();
export const Correction = z.discriminatedUnion('action', [
  z.object({ ...CorrectionBase, action: z.literal('confirm'), recommendation: z.string().describe('recommendation id') }).strict(),
  z
    .object({
      ...CorrectionBase,
      action: z.literal('edit'),
      recommendation: z.string(),
      set: RecommendationFields.describe('the fields as the person corrected them'),
      was: RecommendationFields.optional().describe('the same fields as extracted, when corrected'),
    })
    .strict(),
  z
    .object({
      ...CorrectionBase,
      action: z.literal('split'),
      recommendation: z.string(),
      parts: z.array(z.object({ number: z.string().min(1), label: z.string().optional(), text: z.string() }).strict()).min(2),
    })
    .strict(),
  z
    .object({
      ...CorrectionBase,
      action: z.literal('merge'),
      recommendations: z.array(z.string()).min(2).describe('ids in order; the first keeps its id, the others are folded into it'),
      text: z.string().optional().describe('the merged text; default: the texts joined by a blank line'),
    })
    .strict(),
  z.object({ ...CorrectionBase, action: z.literal('drop'), recommendation: z.string() }).strict(),
  z
    .object({
      ...CorrectionBase,
      action: z.literal('add'),
      number: z.string().min(1),
      label: z.string().optional(),
      text: z.string(),
      columns: z.partialRecord(ColumnRole, z.string()).optional(),
      after: z.string().optional().describe('id of the recommendation it follows; default: placed by its page and position, else last'),
      prov: z.array(Prov).min(1).describe('where it is printed: a box drawn on a PDF page, or the paragraphs picked'),
    })
    .strict(),
]);
export type Correction = z.infer<typeof Correction>;

export const Overrides = z.object({
  decisions: z.array(
    z.object({
      action: z.enum(['confirm', 'reject', 'add']),
      from: DocRef,
      to: DocRef,
      relation: Relation.optional(),
      note: z.string().optional(),
    }),
  ),
  corrections: z.array(Correction).optional().describe('corrections to extractions, applied in order'),
});
export type Overrides = z.infer<typeof Overrides>;

const score01 = z.number().min(0).max(1);
/** The matcher's feature weights (defaults: DEFAULT_WEIGHTS in src/match/features.ts). */
export const MatchWeights = z.object({
  tfidf: z.number().min(0),
  context: z.number().min(0).describe('TF-IDF cosine of text plus response/update columns'),
  keyTerms: z.number().min(0),
  dice: z.number().min(0),
  phrases: z.number().min(0).describe('cosine over adjacent word pairs: added, so a rewording that keeps no phrase loses nothing'),
  sameNumber: z.number().min(0).describe('added when the numbers agree; a weak prior, never enough alone'),
  sameSection: z.number().min(0),
  semantic: z.number().min(0).describe('soft word overlap through word vectors; 0 turns the feature off'),
  synonymCosine: z
    .number()
    .min(-1)
    .max(1)
    .optional()
    .describe('lowest word-vector cosine at which two different words count as near-synonyms (default SYNONYM_COSINE)'),
  semanticFloor: score01.optional().describe('soft overlap that reads 0 (default SEMANTIC_FLOOR)'),
  contextShare: z
    .number()
    .min(0)
    .optional()
    .describe("term frequency given to a response/update word in the context vector (the text's own words count 1)"),
});
export type MatchWeights = z.infer<typeof MatchWeights>;

/** The matcher's link thresholds (defaults: DEFAULT_THRESHOLDS in src/match/index.ts). */
export const MatchThresholds = z.object({
  minScore: score01.describe('lowest score for a pair that is the best of both its items'),
  ratio: score01.describe("an extra (split/merge) link must reach this share of the other item's best"),
  sameDice: score01.describe('a one-to-one link can be `same` only from this Dice up (a cheap filter before the wording check)'),
  sameTfidf: score01.describe('the same for TF-IDF'),
  lowConfidence: score01.describe('links below this score carry a low-confidence note'),
  minExtraScore: score01.describe('lowest score for an extra (split/merge) link'),
  minZ: z
    .number()
    .optional()
    .describe("standard deviations above this document pair's background (scores of pairs that are no item's best) a link must stand; off by default"),
  minExtraZ: z.number().optional().describe('the same for an extra (split/merge) link'),
});
export type MatchThresholds = z.infer<typeof MatchThresholds>;

/** `--match-settings FILE`: replaces any of the matcher's weights and thresholds. */
export const MatchSettings = z
  .object({
    weights: MatchWeights.partial().strict().optional(),
    thresholds: MatchThresholds.partial().strict().optional(),
  })
  .strict();
export type MatchSettings = z.infer<typeof MatchSettings>;

export const LineageStep = z.object({
  generation: z.number().int().nonnegative(),
  document: z.string(),
  number: z.string(),
  label: z.string(),
  text: z.string(),
  status: z.string().optional(),
  statusValue: StatusValue.optional(),
  update: z.string().optional(),
  response: z.string().optional().describe("the publisher's response to it in this generation"),
  relation: z.enum(['origin', 'same', 'reworded', 'split', 'merged']),
  score: z.number().optional(),
});
export const Lineage = z.object({
  generations: z.array(
    z.object({ index: z.number().int(), document: z.string(), path: z.string(), title: z.string().optional(), date: z.string().optional() }),
  ),
  threads: z.array(
    z.object({
      id: z.string(),
      steps: z.array(LineageStep),
      latestStatus: z.string().optional(),
      latestStatusValue: StatusValue.optional(),
    }),
  ),
});
export type Lineage = z.infer<typeof Lineage>;

// ---------------------------------------------------------------------------
// The format-neutral document model that every parser produces (internal,
// JSON-safe). Parsers fill `orig` only; cleaning happens in normalise/.

export const ModelCell = z.object({
  orig: z.string().describe('raw text: line breaks as "\\n", paragraph breaks as "\\n\\n"'),
  rowSpan: z.number().int().positive(),
  colSpan: z.number().int().positive(),
  /** A label Word draws from automatic numbering (not in the text), e.g. "3." or "Recommendation 2". */
  numberLabel: z.string().optional(),
  /** Footnote markers kept out of `orig` (PDF superscripts), in reading order. */
  notes: z.array(z.string()).optional(),
  prov: z.array(Prov),
});
export type ModelCell = z.infer<typeof ModelCell>;

export const ModelRow = z.object({
  cells: z.array(ModelCell),
  /** The source marks this row as a header (th, Word tblHeader, tagged TH). */
  header: z.boolean().optional(),
  prov: z.array(Prov),
});
export type ModelRow = z.infer<typeof ModelRow>;

export const ModelTable = z.object({
  type: z.literal('table'),
  method: TableMethod,
  confidence: z.number().min(0).max(1),
  rows: z.array(ModelRow),
  prov: z.array(Prov),
});
export type ModelTable = z.infer<typeof ModelTable>;

export const ModelParagraph = z.object({
  type: z.literal('paragraph'),
  orig: z.string(),
  /** Heading level 1..6 when the source marks it (Word style, h1-h6, font size in PDF). */
  headingLevel: z.number().int().min(1).max(6).optional(),
  numberLabel: z.string().optional(),
  /** List nesting level (0-based) when the paragraph is a list item. */
  listLevel: z.number().int().nonnegative().optional(),
  notes: z.array(z.string()).optional(),
  prov: z.array(Prov),
});
export type ModelParagraph = z.infer<typeof ModelParagraph>;

export const ModelBlock = z.discriminatedUnion('type', [ModelTable, ModelParagraph]);
export type ModelBlock = z.infer<typeof ModelBlock>;

export const DocModel = z.object({
  format: Format,
  pages: z.number().int().positive().optional(),
  pageSizes: Source.shape.pageSizes,
  /** Title and date from document properties, used when the text states none. */
  meta: z.object({ title: z.string().optional(), date: z.string().optional() }),
  blocks: z.array(ModelBlock),
  messages: z.array(Message),
});
export type DocModel = z.infer<typeof DocModel>;
