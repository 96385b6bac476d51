// Public API: the stages as functions over plain data, plus the batch runner.
export * from './schema.js';
export { RectraceError, type ErrorCode } from './errors.js';
export type { Result } from './result.js';
export { sniffFormat } from './ingest/sniff.js';
export { readInput, sha256 } from './ingest/read.js';
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
  buildGenerationLineage,
  readDocumentJson,
} from './pipeline.js';
export { applyCorrections, correctionsOfChangedDocument, type CorrectionProblem } from './corrections/index.js';
export { startReview, type ReviewOptions, type ReviewServer } from './review/server.js';
