import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cosine, defaultWordVectors, parseWordVectors } from '../src/match/vectors.js';
import { mergeGlossaries, prepare, scorePair, semanticContext, semanticOverlap, DEFAULT_WEIGHTS, type Item } from '../src/match/features.js';
import { matchGenerations } from '../src/match/index.js';
import { extractFile } from '../src/pipeline.js';
import { evaluate, type Gold } from '../bench/link-eval.js';
import { syntheticGenerations } from '../bench/link-synthetic.js';

const vectors = defaultWordVectors()!;
const sim = (a: string, b: string) => cosine(vectors, vectors.index.get(a)!, vectors.index.get(b)!);

describe('word vectors (data/word-vectors.bin)', () => {
  it('ships 40,000 words of 100 dimensions whose neighbours make sense', () => {
    expect(vectors).not.toBeNull();
    expect(vectors.words).toHaveLength(40_000);
    expect(vectors.dims).toBe(100);
    expect(vectors.words.slice(0, 3)).toEqual(['the', 'of', 'to']);
    expect(sim('governance', 'leadership')).toBeGreaterThan(0.55);
    expect(sim('systems', 'infrastructure')).toBeGreaterThan(0.55);
    expect(sim('governance', 'banana')).toBeLessThan(0.2);
    expect(sim('midwife', 'midwife')).toBe(1);
  });

  it('rejects a cut-short or foreign file instead of reading garbage', () => {
    const bytes = readFileSync(join(import.meta.dirname, '../data/word-vectors.bin'));
    expect(() => parseWordVectors(bytes.subarray(0, bytes.length - 100))).toThrow(/matrix size/);
    expect(() => parseWordVectors(Buffer.from('{"format":"other","dims":1,"count":0}\n'))).toThrow(/unknown format/);
  });
});

describe('semantic feature', () => {
  const items = (texts: string[]): Item[] => texts.map((text, index) => ({ index, ref: String(index + 1), number: String(index + 1), text }));
  const older = items(['The council should review its governance arrangements and business systems so that they are fit for purpose.']);
  const newer = items([
    'Leadership and corporate infrastructure should be strengthened across the organisation.',
    'Interpreters should be booked for every antenatal appointment where English is not spoken.',
  ]);
  const [[o], [related, unrelated]] = prepare([older, newer], mergeGlossaries(), false, 1, vectors);
  // Floor 0: the raw soft overlap (the default floor subtracts what unrelated texts reach).
  const ctx = { ...semanticContext(vectors)!, floor: 0 };

  it('credits near-synonyms, not unrelated words, and shows which words it paired', () => {
    const a = semanticOverlap(o, related, ctx);
    const b = semanticOverlap(o, unrelated, ctx);
    expect(a.value).toBeGreaterThan(b.value);
    expect(a.value).toBeGreaterThan(0);
    const pairs = a.aligned.map(([x, y]) => `${x}~${y}`);
    expect(pairs).toContain('governance~leadership');
    expect(pairs).toContain('systems~infrastructure');
    expect(b.aligned.map(([x, y]) => `${x}~${y}`)).not.toContain('governance~leadership');
  });

  it('puts the value and the paired words into a pair\'s features, and leaves them out without vectors', () => {
    const f = scorePair(o, related, DEFAULT_WEIGHTS, ctx);
    expect(semanticOverlap(o, related, semanticContext(vectors)!).value).toBeLessThan(f.semantic!);
    expect(f.semantic).toBeGreaterThan(0);
    expect(f.alignedTerms).toContain('governance~leadership');
    const without = scorePair(o, related, DEFAULT_WEIGHTS);
    expect(without.semantic).toBeUndefined();
    expect(without.score).toBeLessThan(f.score);
  });
});

describe('matching with the semantic feature', () => {
  const seeds = join(import.meta.dirname, '../fixtures/seeds');
  const goldPath = join(import.meta.dirname, '../fixtures/gold/links-2022-2023.json');

  it('meets the seed pair goal (precision and recall at least 0.9) and explains each link', async () => {
    const older = await extractFile(join(seeds, '000_2f423a773bf542d4.txt'));
    const newer = await extractFile(join(seeds, '004_0b441babad7e57b2.txt'));
    const linkSet = matchGenerations(older, newer);
    const e = evaluate(linkSet, JSON.parse(readFileSync(goldPath, 'utf8')) as Gold);
    expect(e.precision).toBeGreaterThanOrEqual(0.9);
    expect(e.recall).toBeGreaterThanOrEqual(0.9);
    for (const l of linkSet.links) {
      expect(l.evidence.semantic).toBeTypeOf('number');
      expect(Array.isArray(l.evidence.alignedTerms)).toBe(true);
    }
    // Without word vectors the same run is the lexical matcher: it misses more.
    const lexical = evaluate(matchGenerations(older, newer, { wordVectors: null }), JSON.parse(readFileSync(goldPath, 'utf8')) as Gold);
    expect(lexical.recall).toBeLessThan(e.recall);
    // Deterministic: the same input gives the same links, byte for byte.
    expect(JSON.stringify(matchGenerations(older, newer))).toBe(JSON.stringify(linkSet));
  });
});

describe('background statistics when candidates are pruned', () => {
  it('judges split and merge links against a sample of all pairs, not against the likeliest candidates', () => {
    // 300 x 300: candidates are pruned, so the scored pairs alone would make the background
    // too high and refuse true split/merge links (recall 0.976 measured without the sample).
    const { older, newer, gold } = syntheticGenerations(300, 20240501);
    const e = evaluate(matchGenerations(older, newer), gold);
    expect(e.recall).toBeGreaterThanOrEqual(0.99);
    expect(e.precision).toBeGreaterThanOrEqual(0.98);
  });
});
