// Unreadable input throws a RectraceError with a stable code; the batch runner
// turns it into a failed manifest entry. Data problems are messages instead.
export type ErrorCode =
  | 'input/empty'
  | 'input/unsupported-format'
  | 'input/too-large'
  | 'input/timeout'
  | 'input/not-found'
  | 'input/unreadable'
  | 'pdf/corrupt'
  | 'pdf/encrypted'
  | 'pdf/no-text-layer'
  | 'docx/corrupt'
  | 'docx/too-large'
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

export function toErrorInfo(err: unknown): { code: string; message: string } {
  if (err instanceof RectraceError) return { code: err.code, message: oneLine(err.message) };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal/error', message: oneLine(message) };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 500);
}
