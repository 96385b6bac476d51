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
  // A response's verdict on a recommendation, where the status is a verdict rather than progress.
  'accepted',
  'partly-accepted',
  'rejected',
  'noted',
  'unknown',
]);
export type StatusValue = z.infer<typeof StatusValue>;

export const Recommendation = z.object({
  id: z.string().describe('source id + "#" + full number (parent and number, "1a") (+ "~n" for a repeated number)'),
  number: z.string().describe('the printed number in canonical form, comparable across documents: "9", "3a", "2.1"; a sub-item printed without its parent ("a." under "1.") is "a", with `parent` "1"'),
  label: z.string().describe('the number as published: "R3a", "Recommendation 9", "9.", "a."'),
  parent: z.string().optional().describe('full number of the item a sub-item is printed under, when its label leaves it out: "1" for "a." under "1.", "4a" for "(i)" under "(a)" under "4"'),
  title: z.string().optional().describe('a title printed with the number ("Recommendation 1: A simplified structure…"), apart from the text'),
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

export const DateSource = z.enum(['title', 'text', 'header', 'metadata']);
export type DateSource = z.infer<typeof DateSource>;

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
    dateSource: DateSource.optional().describe('where `date` was read: the title, early text, a dated column header, or only the file properties'),
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

/** Who decided a link, when and why (from the overrides file); carried into lineage.json and the exports. */
export const PersonDecision = z.object({
  action: z.enum(['confirm', 'add']),
  by: z.string().optional().describe('the person (decidedBy in the overrides file)'),
  date: z.string().optional().describe('date of the decision, YYYY-MM-DD'),
  note: z.string().optional(),
  line: z.number().int().positive().optional().describe('line of the entry in the overrides file'),
});
export type PersonDecision = z.infer<typeof PersonDecision>;

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
  decision: PersonDecision.optional().describe("a person's decision from the overrides file (who, when, why)"),
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

const DecisionDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const DecisionMeta = {
  decidedBy: z.string().min(1).optional().describe('who decided'),
  date: DecisionDate.optional().describe('when, YYYY-MM-DD'),
  note: z.string().optional(),
};
/** A document is named by its source id, its path as given, or its file name (which must then be unique in the run). */
const DocName = z.string().min(1);
export const LinkDecision = z
  .object({
    action: z.enum(['confirm', 'reject', 'add']),
    from: DocRef,
    to: DocRef,
    relation: Relation.optional(),
    ...DecisionMeta,
  })
  .strict();
export type LinkDecision = z.infer<typeof LinkDecision>;
export const SeriesDecision = z
  .object({
    action: z.enum(['join', 'leave']).describe('join: put `document` in the series of `with`; leave: keep `document` out of every series'),
    document: DocName,
    with: DocName.optional().describe('a document of the series to join (required for join)'),
    ...DecisionMeta,
  })
  .strict()
  .refine((d) => d.action !== 'join' || d.with !== undefined, { message: 'join needs "with": a document of the series to join', path: ['with'] });
export type SeriesDecision = z.infer<typeof SeriesDecision>;

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

/**
 * `--overrides FILE`: a person's decisions. `decisions` are about links, `series`
 * about which documents form a series, `corrections` about extractions (the review page).
 */
export const Overrides = z
  .object({
    decisions: z.array(LinkDecision).default([]),
    series: z.array(SeriesDecision).optional(),
    corrections: z.array(Correction).optional().describe('corrections to extractions, applied in order'),
  })
  .strict();
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
  score: z.number().optional().describe('score of the link into this step'),
  decidedBy: z.enum(['model', 'person']).optional().describe('who made the link into this step'),
  decision: PersonDecision.optional(),
});
export const Lineage = z.object({
  generations: z.array(
    z.object({
      index: z.number().int(),
      series: z.string().describe('id of the series (series.json) this generation belongs to'),
      document: z.string(),
      path: z.string(),
      title: z.string().optional(),
      date: z.string().optional(),
    }),
  ),
  threads: z.array(
    z.object({
      id: z.string(),
      series: z.string(),
      steps: z.array(LineageStep),
      latestStatus: z.string().optional(),
      latestStatusValue: StatusValue.optional(),
    }),
  ),
});
export type Lineage = z.infer<typeof Lineage>;

/** A message about the run as a whole (series, copies, overrides), naming the document it is about. */
export const RunMessage = Message.extend({ document: z.string().optional().describe('source id') });
export type RunMessage = z.infer<typeof RunMessage>;

const SeriesDocument = z.object({
  document: z.string().describe('source id of the copy used'),
  path: z.string(),
  title: z.string().optional(),
  date: z.string().optional(),
  dateSource: DateSource.optional(),
  recommendations: z.number().int().nonnegative(),
  copies: z.array(z.object({ document: z.string(), path: z.string(), format: Format })).describe('the same report in other formats, not used'),
});
export const SeriesEvidence = z.object({
  from: z.string(),
  to: z.string(),
  rule: z.enum(['links', 'title-and-links', 'person']),
  confidentLinks: z.number().int().nonnegative().describe('links scoring >= 0.3 and standing >= 3 sd above the pair background'),
  strongLinks: z.number().int().nonnegative().describe('links scoring >= 0.4 and standing >= 5 sd above the pair background'),
  titleTerms: z.array(z.string()).describe('distinctive title words both titles share (stems)'),
  reason: z.string(),
});
/** `series.json`: documents grouped into report series, each in generation order, with why. */
export const SeriesSet = z.object({
  series: z.array(
    z.object({
      id: z.string().describe('"s-" + the first 8 hex digits of its first generation\'s source id'),
      title: z.string().optional().describe('title of its latest generation'),
      documents: z.array(SeriesDocument.extend({ generation: z.number().int().nonnegative().describe('0-based, oldest first') })),
      evidence: z.array(SeriesEvidence),
    }),
  ),
  standalone: z.array(SeriesDocument.extend({ reason: z.string() })).describe('documents with recommendations that joined no series'),
  messages: z.array(RunMessage),
});
export type SeriesSet = z.infer<typeof SeriesSet>;

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
  /** Id of the box the table sits in, as for paragraphs. */
  box: z.string().optional(),
  method: TableMethod,
  confidence: z.number().min(0).max(1),
  rows: z.array(ModelRow),
  prov: z.array(Prov),
});
export type ModelTable = z.infer<typeof ModelTable>;

export const ModelParagraph = z.object({
  type: z.literal('paragraph'),
  /** Raw text. A list label the parser set apart (`numberLabel`) is not in it. */
  orig: z.string(),
  /** Heading level 1..6 when the source marks it (Word style, h1-h6, font size and weight in PDF). */
  headingLevel: z.number().int().min(1).max(6).optional(),
  /** A list or heading label kept apart from the text: Word's automatic number, an HTML ol number, a PDF label ("1.", "(a)", "8.3", "Recommendation 4:"). */
  numberLabel: z.string().optional(),
  /** List nesting level (0-based) when the paragraph is a list item. */
  listLevel: z.number().int().nonnegative().optional(),
  /** Left indent of the paragraph's first line from the page's text margin, in points (PDF). Nesting 4 → (a) → (i) shows here. */
  indent: z.number().optional(),
  /** Id of the box or shaded panel the paragraph sits in ("b3"); one box broken by a page keeps one id. Word one-cell tables are boxes too. */
  box: z.string().optional(),
  /** A navigation entry (contents page, list of tables): not content. */
  contents: z.boolean().optional(),
  /** Set in bold or italic throughout (run-in headings, sub-headings between table blocks). */
  emphasis: z.enum(['bold', 'italic']).optional(),
  /** PDF: text set smaller than the body at the foot of a page, below its last body-size block (footnotes, sources). */
  footnote: z.boolean().optional(),
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
  /** The title as printed (PDF: the largest text of the first page), when the parser can tell. */
  printedTitle: z.string().optional(),
  blocks: z.array(ModelBlock),
  messages: z.array(Message),
});
export type DocModel = z.infer<typeof DocModel>;
