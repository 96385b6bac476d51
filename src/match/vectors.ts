// Word vectors for the `semantic` feature: data/word-vectors.bin, built by
// scripts/make-word-vectors.ts from GloVe 6B 100d (the 40,000 most frequent
// plain words, unit length, int8). The only module that reads the file. Loaded
// once per process, on first use: when matching, and as the word list that
// OCR corrections check against (normalise/ocr-words.ts).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface WordVectors {
  dims: number;
  /** Word -> row. */
  index: Map<string, number>;
  words: string[];
  data: Int8Array;
  /** Length of each int8 row, for the cosine. */
  norms: Float32Array;
}

const FORMAT = 'rectrace-word-vectors/1';
/** src/match/ and dist/match/ both sit two levels below the package root. */
export const DEFAULT_VECTORS_PATH = fileURLToPath(new URL('../../data/word-vectors.bin', import.meta.url));

export function parseWordVectors(bytes: Uint8Array): WordVectors {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerEnd = buf.indexOf(0x0a);
  if (headerEnd < 0) throw new Error('word vectors: no header');
  const header = JSON.parse(buf.subarray(0, headerEnd).toString('utf8')) as { format: string; dims: number; count: number };
  if (header.format !== FORMAT) throw new Error(`word vectors: unknown format ${header.format}`);
  const words: string[] = [];
  let pos = headerEnd + 1;
  for (let i = 0; i < header.count; i++) {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) throw new Error('word vectors: word list cut short');
    words.push(buf.subarray(pos, end).toString('utf8'));
    pos = end + 1;
  }
  if (buf.length - pos !== header.count * header.dims) throw new Error('word vectors: matrix size does not match the header');
  // Copy so the matrix is aligned and independent of the file buffer.
  const data = new Int8Array(buf.subarray(pos));
  const norms = new Float32Array(header.count);
  for (let i = 0; i < header.count; i++) {
    let s = 0;
    for (let k = 0; k < header.dims; k++) s += data[i * header.dims + k] ** 2;
    norms[i] = Math.sqrt(s) || 1;
  }
  return { dims: header.dims, index: new Map(words.map((w, i) => [w, i])), words, data, norms };
}

let cached: WordVectors | null | undefined;

/** The shipped vectors, or null when the file is missing (matching then goes on without the semantic feature). */
export function defaultWordVectors(): WordVectors | null {
  if (cached === undefined) cached = existsSync(DEFAULT_VECTORS_PATH) ? parseWordVectors(readFileSync(DEFAULT_VECTORS_PATH)) : null;
  return cached;
}

export function cosine(v: WordVectors, a: number, b: number): number {
  if (a === b) return 1;
  const d = v.dims;
  let dot = 0;
  for (let k = 0, i = a * d, j = b * d; k < d; k++, i++, j++) dot += v.data[i] * v.data[j];
  return dot / (v.norms[a] * v.norms[b]);
}
