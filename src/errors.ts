// Unreadable input throws a RectraceError with a stable code; the batch runner
// turns it into a failed manifest entry. Data problems are messages instead.
export type ErrorCode =
  | 'input/empty'
  | 'input/unsupported-format'
  | 'input/too-large'
  | 'input/timeout'
  | 'input/not-found'
  | 'input/unreadable'
  | 'input/not-a-file'
  | 'input/format-mismatch'
  | 'input/not-document-json'
  | 'pdf/corrupt'
  | 'pdf/encrypted'
  | 'pdf/no-text-layer'
  | 'docx/corrupt'
  | 'docx/too-large'
  | 'docx/encrypted'
  | 'html/corrupt'
  | 'text/corrupt'
  | 'internal/error';

export class RectraceError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RectraceError';
    this.code = code;
  }
}

/** Every code a failed document can carry (README "Error codes"). */
export const ERROR_CODES: readonly ErrorCode[] = [
  'input/empty',
  'input/unsupported-format',
  'input/too-large',
  'input/timeout',
  'input/not-found',
  'input/unreadable',
  'input/not-a-file',
  'input/format-mismatch',
  'input/not-document-json',
  'pdf/corrupt',
  'pdf/encrypted',
  'pdf/no-text-layer',
  'docx/corrupt',
  'docx/too-large',
  'docx/encrypted',
  'html/corrupt',
  'text/corrupt',
  'internal/error',
];

export function toErrorInfo(err: unknown): { code: string; message: string } {
  if (err instanceof RectraceError) return { code: err.code, message: oneLine(err.message) };
  // A document that exhausts the stack or a buffer's size limit is too large
  // for this reader, not a programmer error: it fails alone with an input code.
  if (err instanceof RangeError && /call stack|array length|allocation failed|string length|buffer/i.test(err.message)) {
    return { code: 'input/too-large', message: oneLine(`the document is too large or too deeply nested to read: ${err.message}`) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal/error', message: oneLine(message) };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 500);
}
