// Decompression bomb guard for PDFs. pdf.js inflates streams into buffers that
// live outside the JS heap, so a worker's heap limit does not see them: a 3 MB
// file whose page content inflates to 3 GB would take the whole process down.
// Before pdf.js sees the file, every stream that inflates (zlib, as
// /FlateDecode is) is inflated here, counting as it goes with a hard cap,
// nested layers (/Filter [/FlateDecode /FlateDecode]) included, and nothing is
// kept. Like pdf.js, it ignores zlib's checksum and counts a damaged stream as
// far as it decodes.
import { countInflated, InflateOverflow } from '../inflate.js';
import { RectraceError } from '../../errors.js';

export const PDF_STREAM_LIMITS = {
  /** Largest inflated size of one stream (a 600 dpi A4 colour image is about 100 MiB). */
  streamBytes: 128 * 2 ** 20,
  /** Largest inflated size of all streams together. */
  totalBytes: 2 * 2 ** 30,
  /** Nested compression layers followed. */
  depth: 3,
};

const STREAM = Buffer.from('stream');
const ENDSTREAM = Buffer.from('endstream');

/** Inflated size of a zlib stream (the largest of its nested layers); throws input/too-large past the limit. */
function inflatedSize(data: Uint8Array, limit: number, depth: number): number {
  try {
    return countInflated(data, { limit, zlib: true, depth });
  } catch (err) {
    if (err instanceof InflateOverflow) throw new RectraceError('input/too-large', `a PDF stream inflates past ${limit} bytes`);
    throw err;
  }
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
