// The worker pool under a misbehaving parser (issue 13): a timed-out worker that
// is not stopped at once and later runs out of heap must not crash the process;
// a worker that exits or eats memory outside the JS heap fails its document
// alone, and the pool goes on with a fresh worker.
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { WorkerPool } from '../src/batch/worker-pool.js';
import type { InputFile } from '../src/ingest/read.js';

const SCRIPT = new URL('./helpers/hostile-worker.mjs', import.meta.url);
const task = (path: string): InputFile => ({ path, filename: path, bytes: new Uint8Array([1]), sha256: '0'.repeat(64) });
const code = (p: Promise<unknown>) => p.then(() => 'ok', (err: { code?: string }) => err.code ?? String(err));

describe('worker pool limits', () => {
  const realTerminate = Worker.prototype.terminate;
  afterEach(() => {
    Worker.prototype.terminate = realTerminate;
  });

  it('a timed-out worker that keeps running and then runs out of heap does not take the process down', async () => {
    const errors: unknown[] = [];
    const onUncaught = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onUncaught);
    // The case: terminate() does not take effect while the worker is inside a long builtin.
    let delayed = 0;
    Worker.prototype.terminate = function (this: Worker) {
      delayed++;
      const worker = this;
      return new Promise((resolve) => setTimeout(() => resolve(realTerminate.call(worker)), 4000));
    };
    const pool = new WorkerPool(SCRIPT, { size: 1, maxHeapMb: 64 });
    try {
      expect(await code(pool.extract(task('hang-then-oom'), 300))).toBe('input/timeout');
      // The replacement worker serves the next document while the old one is still running.
      expect(await code(pool.extract(task('good'), 5000))).toBe('ok');
      // Give the abandoned worker time to run out of heap (its 'error' event fires now).
      await new Promise((r) => setTimeout(r, 3000));
      expect(delayed).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      Worker.prototype.terminate = realTerminate;
      await pool.close();
      process.off('uncaughtException', onUncaught);
    }
  }, 30_000);

  it('a worker that exits fails its document alone; the next one is read by a fresh worker', async () => {
    const pool = new WorkerPool(SCRIPT, { size: 1 });
    try {
      expect(await code(pool.extract(task('exit'), 5000))).toBe('internal/error');
      await expect(pool.extract(task('good'), 5000)).resolves.toMatchObject({ json: '{"path":"good"}' });
    } finally {
      await pool.close();
    }
  }, 30_000);

  it('memory outside the JS heap over --max-memory fails the document with input/too-large', async () => {
    const base = process.memoryUsage.rss() / 2 ** 20;
    // On a loaded machine the stopped worker's thread is torn down late and holds
    // its memory meanwhile; the next document must not be blamed for it.
    Worker.prototype.terminate = function (this: Worker) {
      const worker = this;
      return new Promise((resolve) => setTimeout(() => resolve(realTerminate.call(worker)), 1500));
    };
    const pool = new WorkerPool(SCRIPT, { size: 1, maxHeapMb: 64, maxMemoryMb: Math.round(base + 400), memoryCheckMs: 20 });
    try {
      // The worker's heap limit (64 MB) never sees these 1.5 GB of array buffers; the watchdog does.
      expect(await code(pool.extract(task('outside-heap'), 20_000))).toBe('input/too-large');
      await expect(pool.extract(task('slow-good'), 30_000)).resolves.toMatchObject({ recommendations: 1 });
    } finally {
      Worker.prototype.terminate = realTerminate;
      await pool.close();
    }
  }, 90_000);
});
