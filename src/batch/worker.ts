// Worker-thread entry: extracts one document per message and replies with the
// output JSON text (serialised here, off the main thread) or a coded error.
import { parentPort } from 'node:worker_threads';
import { RectraceError, toErrorInfo } from '../errors.js';
import { stableJson } from '../emit/files.js';
import { extractInput } from '../pipeline.js';
import type { WorkerReply, WorkerTask } from './worker-pool.js';
import { ocrAllowanceMs } from './timeout.js';
import { createHeapTrimmer } from './heap.js';

const port = parentPort;
if (!port) throw new Error('batch/worker.ts must run in a worker thread');

// pdf.js leaves some internal promises rejected on damaged files while the
// promise we await still settles (or times out): such a stray rejection must not
// take the worker, and the documents queued on it, down.
process.on('unhandledRejection', () => undefined);

const heap = createHeapTrimmer();

port.on('message', async (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    const doc = await extractInput(
      { path: task.path, filename: task.filename, bytes: task.bytes, sha256: task.sha256 },
      // OCR is slow: its pages get time of their own on top of the document's limit.
      { ocr: task.ocr, onOcr: (pages) => port.postMessage({ id: task.id, extendMs: ocrAllowanceMs(pages) }) },
    );
    // Encoded here and handed over, not copied: the main thread writes the bytes as they are.
    reply = { id: task.id, ok: true, json: new TextEncoder().encode(stableJson(doc)), recommendations: doc.recommendations.length };
  } catch (err) {
    const info = toErrorInfo(err);
    const stack = err instanceof Error && !(err instanceof RectraceError) ? err.stack : undefined;
    reply = { id: task.id, ok: false, ...info, ...(stack ? { stack } : {}) };
  }
  port.postMessage(reply, reply.ok ? [reply.json.buffer as ArrayBuffer] : []);
  // After the reply, so the output is written while this thread collects.
  heap?.afterDocument();
});
port.postMessage({ ready: true });
