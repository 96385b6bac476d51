// Every fixture with a hand-made gold file extracts to it exactly (after
// whitespace is collapsed), in published order, with provenance of its format.
import { haveShared, SHARED } from './helpers/shared.js';
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { extractFile } from '../src/pipeline.js';
import { loadGoldCases } from '../src/evaluate/fixtures.js';
import { scoreAgainstGold } from '../src/evaluate/gold.js';
import type { Prov } from '../src/schema.js';

const cases = loadGoldCases();

function provOk(format: string, p: Prov): boolean {
  switch (format) {
    case 'pdf':
      return p.kind === 'pdf' && !!p.page && !!p.bbox && p.bbox[0] <= p.bbox[2] && p.bbox[1] <= p.bbox[3];
    case 'docx':
      return p.kind === 'docx' && !!p.path;
    case 'html':
      return p.kind === 'html' && !!p.path;
    default:
      return p.kind === 'text' && !!p.line;
  }
}

describe('golden fixtures', () => {
  it('has gold for every seed format', () => {
    const fixtures = cases.map((c) => c.fixture);
    expect(fixtures.filter((f) => f.startsWith('seeds/'))).toHaveLength(2);
    expect(fixtures.some((f) => f.endsWith('.docx'))).toBe(true);
    expect(fixtures.some((f) => f.endsWith('.pdf'))).toBe(true);
  });

  it.each(cases.map((c) => [c.fixture, c] as const))('%s', async (_name, c) => {
    const doc = await extractFile(path.join('fixtures', c.fixture));
    const score = scoreAgainstGold(doc, c.gold);
    // Guard beside the golden comparison: the count and the first item are what the gold says.
    expect(doc.recommendations).toHaveLength(c.gold.recommendations.length);
    expect(doc.recommendations[0]?.number).toBe(c.gold.recommendations[0]?.number);
    expect(score.problems).toEqual([]);
    expect(score).toMatchObject({ precision: 1, recall: 1, exactText: 1, exactColumns: 1, inOrder: true, dateOk: true });
    // Each message once, even where a parser also returns it beside the model.
    const keys = doc.messages.map((m) => JSON.stringify(m));
    expect(new Set(keys).size).toBe(keys.length);
    if (c.method) expect(doc.tables.filter((t) => t.holdsRecommendations).map((t) => t.method)).toContain(c.method);
    for (const r of doc.recommendations) {
      expect(r.prov.length).toBeGreaterThan(0);
      for (const p of r.prov) expect(provOk(doc.source.format, p), `${r.number} ${JSON.stringify(p)}`).toBe(true);
    }
  });
});

// Real government PDFs with numbered and descriptive tables that once read as recommendations.
describe.skipIf(!haveShared('corpus', 'golden "documents without recommendations" (4 tests)'))('documents without recommendations', () => {
  const corpus = path.join(SHARED, 'corpus');
  it.each(['icdar2013/eu-004.pdf', 'icdar2013/us-012.pdf', 'icdar2013/us-036.pdf', 'pdf-peers/pdfplumber/senate-expenditures.pdf'])(
    '%s yields none',
    async (file) => {
      const doc = await extractFile(path.join(corpus, file));
      expect(doc.tables.length).toBeGreaterThan(0);
      expect(doc.recommendations).toEqual([]);
    },
  );
});
