// A small pool of worker threads for CPU-bound parsing. Each worker handles one
// document at a time; a document over its time limit has its worker terminated
// (which stops even a synchronous loop) and the slot gets a fresh worker.
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
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
  /** false: no OCR of PDF pages without a text layer */
  ocr?: boolean;
}

export type WorkerReply =
  | { id: number; ok: true; json: Uint8Array; recommendations: number }
  | { id: number; ok: false; code: string; message: string; stack?: string };

/** Sent by a worker before OCR starts: the document's time limit grows by `extendMs`. */
export interface WorkerExtend {
  id: number;
  extendMs: number;
}

export interface Extracted {
  /** The output JSON, UTF-8 (or text when extracted in this thread). */
  json: string | Uint8Array;
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
  /**
   * Limit on the whole process's resident memory (JS heaps plus what lives
   * outside them: inflated streams, array buffers). Over it, the busy worker that
   * has run longest is terminated and its document fails with input/too-large.
   */
  maxMemoryMb?: number;
  /** How often memory is checked while documents are parsed (ms). */
  memoryCheckMs?: number;
}

/** Default process memory limit: three quarters of the machine's memory, at most 2 GiB plus 1.5 GiB per worker. */
export function defaultMaxMemoryMb(size: number): number {
  return Math.floor(Math.min((totalmem() / 2 ** 20) * 0.75, 2048 + 1536 * size));
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
  /** Set while a document is being parsed: fails it from outside (time or memory limit). */
  abort?: (err: Error) => void;
  startedAt?: number;
}

export class WorkerPool {
  private slots: Slot[] = [];
  private waiting: Array<(slot: Slot) => void> = [];
  private nextId = 0;
  private closed = false;
  private watchdog: NodeJS.Timeout | undefined;
  /** Workers told to stop that have not exited yet, with when they were told. */
  private stopping = new Map<Worker, number>();

  constructor(
    private readonly script: URL,
    private readonly options: PoolOptions,
  ) {}

  private get maxHeapMb(): number {
    return this.options.maxHeapMb ?? 2048;
  }

  private spawn(): Slot {
    const worker = startWorker(this.script, {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
      // Parsers never print; keep anything a library writes off the CLI's output.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    // Always listened to, for the worker's whole life: an error or exit after
    // its document was given up on (timeout, memory) must never reach the
    // process as an unhandled 'error' event.
    worker.on('error', () => undefined);
    worker.once('exit', () => this.stopping.delete(worker));
    const ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: { ready?: boolean }) => {
        if (!m?.ready) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve();
      };
      const onExit = (code: number) => reject(new Error(`worker exited with code ${code} while starting`));
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', onExit);
    });
    ready.catch(() => undefined);
    return { worker, ready, busy: false };
  }

  /** Stops a worker without waiting for it: a thread stuck in a long builtin must not hold the run (or the process) up. */
  private stop(worker: Worker): void {
    this.stopping.set(worker, performance.now());
    worker.terminate().catch(() => undefined);
    worker.unref();
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
    slot.abort = undefined;
    slot.startedAt = undefined;
    if (!healthy) {
      this.stop(slot.worker);
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

  /** While documents are parsed, checks the process's memory; over the limit, fails the longest-running one. */
  private watchMemory(): void {
    const limit = this.options.maxMemoryMb;
    if (!limit || this.watchdog) return;
    this.watchdog = setInterval(() => {
      const busy = this.slots.filter((s) => s.abort && s.startedAt !== undefined);
      if (busy.length === 0) return;
      // A worker just told to stop still holds its memory until its thread is
      // torn down; that memory is not the busy documents' doing. Wait for it
      // (bounded: a thread stuck in a builtin does not switch the limit off).
      const now = performance.now();
      for (const stoppedAt of this.stopping.values()) if (now - stoppedAt < STOP_GRACE_MS) return;
      const rss = process.memoryUsage.rss() / 2 ** 20;
      if (rss <= limit) return;
      const oldest = busy.reduce((a, b) => (a.startedAt! <= b.startedAt! ? a : b));
      oldest.abort?.(new RectraceError('input/too-large', `reading the document took the process over ${limit} MB of memory (${Math.round(rss)} MB)`));
    }, this.options.memoryCheckMs ?? 100);
    this.watchdog.unref();
  }

  /** Extracts one document in a worker. Rejects with a coded error; never leaves a worker stuck. */
  async extract(input: InputFile, timeoutMs?: number, options: { ocr?: boolean } = {}): Promise<Extracted> {
    if (this.closed) throw new Error('worker pool is closed');
    this.watchMemory();
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
        let limit = timeoutMs ?? 0;
        const done = () => {
          clearTimeout(timer);
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
        };
        const onMessage = (reply: WorkerReply | WorkerExtend) => {
          if (reply.id !== id) return;
          if ('extendMs' in reply) {
            // The document is about to be read by OCR: its deadline moves by the time allowed for that.
            if (timeoutMs && timer) {
              limit += reply.extendMs;
              clearTimeout(timer);
              timer = setTimeout(() => slot.abort?.(timeoutError(limit)), Math.max(0, slot.startedAt! + limit - performance.now()));
            }
            return;
          }
          done();
          if (reply.ok) resolve({ json: reply.json, recommendations: reply.recommendations });
          else reject(new WorkerError(reply.code, reply.message, reply.stack));
        };
        const onError = (err: Error & { code?: string }) => {
          done();
          healthy = false;
          if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
            reject(new RectraceError('input/too-large', `reading the document needed more than ${this.maxHeapMb} MB of memory`));
          } else {
            reject(new WorkerError('internal/error', `the parser crashed: ${toErrorInfo(err).message}`, err.stack));
          }
        };
        const onExit = (code: number) => {
          done();
          healthy = false;
          reject(new WorkerError('internal/error', `the parser's worker exited (code ${code})`));
        };
        // Time or memory limit: give the document up and replace its worker.
        slot.abort = (err: Error) => {
          done();
          healthy = false;
          reject(err);
        };
        slot.startedAt = performance.now();
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
        if (timeoutMs) timer = setTimeout(() => slot.abort?.(timeoutError(timeoutMs)), timeoutMs);
        // Hand the bytes over rather than copy them: the caller is done with them.
        const bytes = input.bytes;
        const transferable = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
        const task: WorkerTask = { id, path: input.path, filename: input.filename, bytes, sha256: input.sha256, ...(options.ocr === false ? { ocr: false } : {}) };
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

  /** Workers that were told to stop and are still running (tests). */
  get stoppingCount(): number {
    return this.stopping.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    const slots = this.slots;
    this.slots = [];
    // Idle workers end at once; one stuck in a builtin is left to end on its own, unreferenced.
    await Promise.race([Promise.all(slots.map((s) => s.worker.terminate())), delay(2000)]);
    for (const s of slots) s.worker.unref();
  }
}

/** How long a stopped worker's memory is not counted against the documents still being read. */
const STOP_GRACE_MS = 10_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
