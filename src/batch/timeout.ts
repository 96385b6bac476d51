// In-process time limit. It can only stop waiting: a parse stuck in a
// synchronous loop keeps its thread (the worker pool terminates those instead).
import { RectraceError } from '../errors.js';

/** Time allowed on top of --timeout for each page read by OCR, and for all of them together. */
export const OCR_PAGE_MS = 10_000;
export const OCR_MAX_MS = 600_000;
export const ocrAllowanceMs = (pages: number): number => Math.min(Math.max(0, pages) * OCR_PAGE_MS, OCR_MAX_MS);

/** `work` may call `extend` (OCR pages) to move the deadline later. */
export function withTimeout<T>(work: (signal: AbortSignal, extend: (ms: number) => void) => Promise<T>, ms: number | undefined): Promise<T> {
  const controller = new AbortController();
  if (!ms) return work(controller.signal, () => undefined);
  let timer: NodeJS.Timeout | undefined;
  let limit = ms;
  const started = performance.now();
  let fail: (err: Error) => void = () => undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      controller.abort();
      fail(timeoutError(limit));
    }, Math.max(0, started + limit - performance.now()));
  };
  const timeout = new Promise<never>((_, reject) => {
    fail = reject;
  });
  arm();
  const extend = (extra: number) => {
    if (controller.signal.aborted || !(extra > 0)) return;
    limit += extra;
    arm();
  };
  return Promise.race([work(controller.signal, extend), timeout]).finally(() => clearTimeout(timer));
}

export function timeoutError(ms: number): RectraceError {
  return new RectraceError('input/timeout', `gave up after ${ms / 1000} s (--timeout)`);
}
