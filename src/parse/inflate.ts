// The one fflate importer: zip reading for .docx (parse/docx/zip.ts) and
// counting inflation as it happens, for zip entries and PDF streams alike.
// Streaming keeps nothing: a bomb is stopped after the limit, not after it has
// been held in memory, and a damaged stream is counted as far as it decodes
// (pdf.js decodes that far too: it does not check zlib's checksum).
import { Inflate, strFromU8, unzipSync } from 'fflate';

export { strFromU8, unzipSync };

/** Thrown when inflated output passes the limit. */
export class InflateOverflow extends Error {}

export const isZlibHeader = (b: ArrayLike<number>): boolean => b.length >= 2 && (b[0] & 0x0f) === 8 && ((b[0] << 8) | b[1]) % 31 === 0;

/** One raw-deflate layer that counts its output and, when that output is itself zlib data, feeds the next layer. */
class Layer {
  count = 0;
  private failed = false;
  private head: number[] = [];
  private next: Layer | null | undefined;
  private readonly inflater: Inflate;

  constructor(
    private readonly limit: number,
    private readonly depthLeft: number,
  ) {
    this.inflater = new Inflate((chunk) => this.out(chunk));
  }

  private out(chunk: Uint8Array): void {
    this.count += chunk.length;
    if (this.count > this.limit) throw new InflateOverflow();
    if (this.next === undefined) {
      const need = 2 - this.head.length;
      for (let i = 0; i < need && i < chunk.length; i++) this.head.push(chunk[i]);
      if (this.head.length < 2) return;
      this.next = this.depthLeft > 1 && isZlibHeader(this.head) ? new Layer(this.limit, this.depthLeft - 1) : null;
      chunk = chunk.subarray(need);
    }
    this.next?.push(chunk, false);
  }

  push(data: Uint8Array, final: boolean): void {
    if (this.failed) return;
    try {
      // Small steps: each can inflate about a thousand times its size before the count is checked.
      for (let i = 0; i < data.length; i += 1024) this.inflater.push(data.subarray(i, i + 1024), final && i + 1024 >= data.length);
      if (final && data.length === 0) this.inflater.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof InflateOverflow) throw err;
      this.failed = true; // damaged from here on: what came out so far is counted
    }
    if (final) this.next?.push(new Uint8Array(0), true);
  }

  deepest(): number {
    return Math.max(this.count, this.next?.deepest() ?? 0);
  }
}

/**
 * How many bytes `data` inflates to (the largest of its nested layers), counting
 * as it goes; throws InflateOverflow past `limit`. `zlib`: data has zlib's
 * two-byte header (PDF /FlateDecode); otherwise raw deflate (zip entries).
 * Returns 0 for zlib data without a valid header (pdf.js refuses it too).
 */
export function countInflated(data: Uint8Array, options: { limit: number; zlib: boolean; depth?: number }): number {
  if (options.zlib && !isZlibHeader(data)) return 0;
  const layer = new Layer(options.limit, options.depth ?? 1);
  layer.push(options.zlib ? data.subarray(2) : data, true);
  return layer.deepest();
}
