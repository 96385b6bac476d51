// A small pool of worker threads for CPU-bound parsing. Each worker handles one
// document at a time; a document over its time limit has its worker terminated
// (which stops even a synchronous loop) and the slot gets a fresh worker.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RectraceError, toErrorInfo } from '../errors.js';
import type { InputFile } from '../ingest/read.js';
import { timeoutError } from './timeout.js';

export interface WorkerTask {
  id: number;
  path: string;
  filename: string;
  bytes: Uint8Array;
  sha256: string;
}

export type WorkerReply =
  | { id: number; ok: true; json: string; recommendations: number }
  | { id: number; ok: false; code: string; message: string; stack?: string };

export interface Extracted {
  json: string;
  recommendations: number;
}

/** An error from a worker, carrying its code across the thread boundary. */
export class WorkerError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly workerStack?: string,
  ) {
    super(message);
  }
}

export interface PoolOptions {
  size: number;
  /** Heap limit per worker: a document that needs more fails alone (input/too-large). */
  maxHeapMb?: number;
}

/**
 * Where the worker script is: next to this module when running built JS;
 * the TypeScript source when running from sources (tsx, vitest) and tsx is
 * installed to load it in the worker; otherwise null and the runner stays
 * in-process.
 */
export function workerScript(): URL | null {
  const here = import.meta.url;
  const url = new URL(here.endsWith('.ts') ? './worker.ts' : './worker.js', here);
  if (!existsSync(fileURLToPath(url))) return null;
  if (url.pathname.endsWith('.ts') && !tsxLoader()) return null;
  return url;
}

// A worker does not inherit the loader hooks that let this thread import
// TypeScript, so a .ts worker first registers tsx's (a dev dependency) itself.
function tsxLoader(): string | null {
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/index\.cjs$/, 'index.mjs');
  } catch {
    return null;
  }
}

function startWorker(script: URL, options: WorkerOptions): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script, options);
  const bootstrap = `const { workerData } = require('node:worker_threads');
import(workerData.loader).then((tsx) => { tsx.register(); return import(workerData.script); });`;
  return new Worker(bootstrap, { ...options, eval: true, workerData: { loader: tsxLoader(), script: script.href } });
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: boolean;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private waiting: Array<(slot: Slot) => void> = [];
  private nextId = 0;
  private closed = false;

  constructor(
    private readonly script: URL,
    private readonly options: PoolOptions,
  ) {}

  private spawn(): Slot {
    const worker = startWorker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 2048 },
      // Parsers never print; keep anything a library writes off the CLI's output.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }) => {
        if (!m?.ready) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    ready.catch(() => undefined);
    return { worker, ready, busy: false };
  }

  private acquire(): Promise<Slot> {
    const idle = this.slots.find((s) => !s.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (this.slots.length < this.options.size) {
      const slot = this.spawn();
      slot.busy = true;
      this.slots.push(slot);
      return Promise.resolve(slot);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot, healthy: boolean): void {
    let next = slot;
    if (!healthy) {
      void slot.worker.terminate();
      const i = this.slots.indexOf(slot);
      if (this.closed) {
        if (i >= 0) this.slots.splice(i, 1);
        return;
      }
      next = this.spawn();
      if (i >= 0) this.slots[i] = next;
      else this.slots.push(next);
    }
    const waiter = this.waiting.shift();
    if (waiter) {
      next.busy = true;
      waiter(next);
    } else {
      next.busy = false;
    }
  }

  /** Extracts one document in a worker. Rejects with a coded error; never leaves a worker stuck. */
  async extract(input: InputFile, timeoutMs?: number): Promise<Extracted> {
    if (this.closed) throw new Error('worker pool is closed');
    const slot = await this.acquire();
    let healthy = true;
    try {
      // Time starts once the worker has loaded the pipeline, not while it boots.
      await slot.ready.catch((err: Error) => {
        throw new WorkerError('internal/error', `the parser's worker did not start: ${toErrorInfo(err).message}`, err?.stack);
      });
      return await new Promise<Extracted>((resolve, reject) => {
        const id = this.nextId++;
        const { worker } = slot;
        let timer: NodeJS.Timeout | undefined;
        const done = () => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        const onMessage = (reply: WorkerReply) => {
          if (reply.id !== id) return;
          done();
          if (reply.ok) resolve({ json: reply.json, recommendations: reply.recommendations });
          else reject(new WorkerError(reply.code, reply.message, reply.stack));
        };
        const onError = (err: Error & { code?: string }) => {
          done();
          healthy = false;
          if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
            reject(new RectraceError('input/too-large', `reading the document needed more than ${this.options.maxHeapMb ?? 2048} MB of memory`));
          } else {
            reject(new WorkerError('internal/error', `the parser crashed: ${toErrorInfo(err).message}`, err.stack));
          }
        };
        const onExit = (code: number) => {
          done();
          healthy = false;
          reject(new WorkerError('internal/error', `the parser's worker exited (code ${code})`));
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        if (timeoutMs) {
          timer = setTimeout(() => {
            done();
            healthy = false;
            reject(timeoutError(timeoutMs));
          }, timeoutMs);
        }
        // Hand the bytes over rather than copy them: the caller is done with them.
        const bytes = input.bytes;
        const transferable = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
        const task: WorkerTask = { id, path: input.path, filename: input.filename, bytes, sha256: input.sha256 };
        worker.postMessage(task, transferable ? [bytes.buffer as ArrayBuffer] : []);
      });
    } catch (err) {
      // After an unexpected failure (or a failed start) the worker's state is
      // unknown: replace it. Coded input errors leave it as it was.
      if (!(err instanceof RectraceError) && (err as WorkerError).code === 'internal/error') healthy = false;
      throw err;
    } finally {
      this.release(slot, healthy);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
