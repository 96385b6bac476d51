// Public API: the stages as functions over plain data, plus the batch runner.
export * from './schema.js';
export { RectraceError, ERROR_CODES, type ErrorCode } from './errors.js';
export type { Result } from './result.js';
export { sniffFormat } from './ingest/sniff.js';
export { readInput, sha256, type InputFile } from './ingest/read.js';
export { parseDocument } from './parse/index.js';
export { detectRecommendations } from './detect/index.js';
export { normaliseText } from './normalise/text.js';
export { parseWholeLabel, parseLeadingLabel } from './normalise/number.js';
export { normaliseStatus } from './normalise/status.js';
export { findDate } from './normalise/dates.js';
export { findDefinitions } from './normalise/glossary.js';
export {
  extractInput,
  extractFile,
  runBatch,
  expandInputs,
  orderGenerations,
  linkDocuments,
  buildRun,
  readDocumentJson,
  type RunOutputs,
  type ExtractOptions,
  type LinkOptions,
  type BatchOptions,
  type BatchProgress,
  type BatchResult,
} from './pipeline.js';
export { groupSeries } from './match/series.js';
export { diffGenerations, diffToMarkdown } from './match/diff.js';
export { parseOverrides, resolveOverrides } from './overrides.js';
export { buildTables, TABLES } from './emit/tables.js';
export { writeExports, readRunDir } from './emit/exports.js';
export { applyCorrections, correctionsOfChangedDocument, type CorrectionProblem } from './corrections/index.js';
export { startReview, type ReviewOptions, type ReviewServer } from './review/server.js';
