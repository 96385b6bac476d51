// In-process time limit. It can only stop waiting: a parse stuck in a
// synchronous loop keeps its thread (the worker pool terminates those instead).
import { RectraceError } from '../errors.js';

export function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number | undefined): Promise<T> {
  const controller = new AbortController();
  if (!ms) return work(controller.signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timeoutError(ms));
    }, ms);
  });
  return Promise.race([work(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

export function timeoutError(ms: number): RectraceError {
  return new RectraceError('input/timeout', `gave up after ${ms / 1000} s (--timeout)`);
}
