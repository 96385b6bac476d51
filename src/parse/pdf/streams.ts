// Decompression bomb guard for PDFs. pdf.js inflates streams into buffers that
// live outside the JS heap, so a worker's heap limit does not see them: a 3 MB
// file whose page content inflates to 3 GB would take the whole process down.
// Before pdf.js sees the file, every stream that inflates (zlib, as
// /FlateDecode is) is inflated here with a hard output cap, nested layers
// (/Filter [/FlateDecode /FlateDecode]) included, and nothing is kept.
import { inflateSync } from 'node:zlib';
import { RectraceError } from '../../errors.js';

export const PDF_STREAM_LIMITS = {
  /** Largest inflated size of one stream. */
  streamBytes: 256 * 2 ** 20,
  /** Largest inflated size of all streams together. */
  totalBytes: 2 * 2 ** 30,
  /** Nested compression layers followed. */
  depth: 3,
};

const STREAM = Buffer.from('stream');
const ENDSTREAM = Buffer.from('endstream');

const isZlibHeader = (b: Uint8Array) => b.length >= 2 && (b[0] & 0x0f) === 8 && ((b[0] << 8) | b[1]) % 31 === 0;

/** Inflated size of a zlib stream (following nested layers), or 0 when it does not inflate. Throws input/too-large. */
function inflatedSize(data: Uint8Array, limit: number, depth: number): number {
  if (depth <= 0 || !isZlibHeader(data)) return 0;
  let out: Buffer;
  try {
    out = inflateSync(data, { maxOutputLength: limit, finishFlush: 2 /* Z_SYNC_FLUSH: truncated streams still count */ });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new RectraceError('input/too-large', `a PDF stream inflates past ${limit} bytes`);
    }
    return 0; // not zlib data after all, or damaged: pdf.js decides
  }
  return Math.max(out.length, inflatedSize(out, limit, depth - 1));
}

/** Throws input/too-large when a stream of `bytes` inflates past the limits. Returns the total inflated size. */
export function checkPdfStreams(bytes: Uint8Array, limits = PDF_STREAM_LIMITS): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let at = 0;
  for (;;) {
    const s = buf.indexOf(STREAM, at);
    if (s < 0) break;
    at = s + STREAM.length;
    if (buf[s - 1] === 0x64 /* "endstream" */) continue;
    // The keyword is followed by CRLF or LF; the declared /Length is not trusted.
    let start = at;
    if (buf[start] === 0x0d) start++;
    if (buf[start] === 0x0a) start++;
    const end = buf.indexOf(ENDSTREAM, start);
    const data = buf.subarray(start, end < 0 ? buf.length : end);
    total += inflatedSize(data, limits.streamBytes, limits.depth);
    if (total > limits.totalBytes) throw new RectraceError('input/too-large', `the PDF's streams inflate past ${limits.totalBytes} bytes`);
    at = end < 0 ? buf.length : end + ENDSTREAM.length;
  }
  return total;
}
