import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { applyOverrides, DEFAULT_THRESHOLDS, matchGenerations } from '../src/match/index.js';
import { selectPairs } from '../src/match/assign.js';
import { tokenise, mergeGlossaries, sameWording } from '../src/match/features.js';
import { findDefinitions } from '../src/normalise/glossary.js';
import { inverseDocumentFrequencies } from '../src/match/similarity.js';
import { LinkSet } from '../src/schema.js';
import { readTextExport, readTextExportFile, type Gold } from './match-helpers.js';

const dir = 'fixtures/generations';
const pairOf = (name: string) => ({
  older: readTextExportFile(`${dir}/${name}/older.txt`),
  newer: readTextExportFile(`${dir}/${name}/newer.txt`),
  gold: JSON.parse(readFileSync(`${dir}/${name}/gold.json`, 'utf8')) as Gold,
});
const keys = (ls: LinkSet) => ls.links.map((l) => `${l.from.number}->${l.to.number}`).sort();

describe('matchGenerations on the fixture pairs', () => {
  it('links a progress update one-to-one as same, scores near 1', () => {
    const { older, newer, gold } = pairOf('progress-update');
    expect(older.recommendations).toHaveLength(8);
    const ls = matchGenerations(older, newer);
    expect(LinkSet.safeParse(ls).success).toBe(true);
    expect(keys(ls)).toEqual(gold.required.map(([a, b]) => `${a}->${b}`).sort());
    for (const l of ls.links) {
      expect(l.relation).toBe('same');
      expect(l.score).toBeGreaterThan(0.95);
      expect(l.evidence.decidedBy).toBe('model');
      expect(l.evidence.sameNumber).toBe(true);
    }
    expect(ls.unmatched).toEqual({ from: [], to: [] });
    expect(ls.from.document).toBe(older.source.id);
  });

  it('finds rewording, renumbering, a split, a merge and new items', () => {
    const { older, newer, gold } = pairOf('reworded');
    const ls = matchGenerations(older, newer);
    expect(keys(ls)).toEqual(gold.required.map(([a, b]) => `${a}->${b}`).sort());
    const rel = Object.fromEntries(ls.links.map((l) => [`${l.from.number}->${l.to.number}`, l.relation]));
    expect(rel).toEqual(gold.relations);
    expect(ls.unmatched.from).toEqual(['12']);
    expect(ls.unmatched.to).toEqual(['7', '12']);
    const cqc = ls.links.find((l) => l.to.number === '10');
    expect(cqc?.evidence.sharedTerms).toContain('CQC'); // "Care Quality Commission" written out vs "CQC"
  });

  it('maternity pair (gold written before tuning): no false links, the republished text is same, new items stay new', () => {
    const { older, newer, gold } = pairOf('maternity');
    const ls = matchGenerations(older, newer);
    const ok = new Set([...gold.required, ...gold.acceptable].map(([a, b]) => `${a}->${b}`));
    expect(keys(ls).filter((k) => !ok.has(k))).toEqual([]);
    const found = keys(ls).filter((k) => ok.has(k));
    expect(found.length).toBeGreaterThanOrEqual(8); // of 10 required; bench:link prints which are missed
    const rel = Object.fromEntries(ls.links.map((l) => [`${l.from.number}->${l.to.number}`, l.relation]));
    expect(rel['10->7']).toBe('same');
    expect(rel['9->9']).toBe('reworded');
    expect(ls.unmatched.from).toContain('6');
    expect(ls.unmatched.to).toEqual(expect.arrayContaining(['10', '11']));
  });

  it('an item republished with the same wording takes no merge partner', () => {
    const a = readTextExport(
      'Plan March 2024\n\n\tRecommendation\tResponse\n' +
        '1\tProviders should redesign a regional nutrition service and regional training for disabled adults.\tAgreed.\n' +
        '2\tProviders should redesign a regional nutrition service and regional training for disabled adults and their carers.\tAgreed.\n',
    );
    const b = readTextExport(
      'Plan March 2025\n\n\tRecommendation\tResponse\n1\tProviders should redesign a regional nutrition service and regional training for disabled adults.\tDone.\n',
    );
    // A lenient ratio would otherwise admit 2 -> 1 as a merge.
    const ls = matchGenerations(a, b, { thresholds: { ratio: 0.1 } });
    expect(keys(ls)).toEqual(['1->1']);
    expect(ls.links[0].relation).toBe('same');
    expect(ls.links[0].score).toBe(1);
  });

  it('does not link two unrelated texts just because their numbers agree', () => {
    const a = readTextExport('Plan March 2024\n\n\tRecommendation\tResponse\n1\tThe council should publish a housing repairs strategy.\tAgreed.\n');
    const b = readTextExport('Plan March 2025\n\n\tRecommendation\tResponse\n1\tSchools should offer free breakfast clubs to every pupil.\tAgreed.\n');
    const ls = matchGenerations(a, b);
    expect(ls.links).toEqual([]);
    expect(ls.unmatched).toEqual({ from: ['1'], to: ['1'] });
  });
});

describe('same or reworded', () => {
  const text = 'The scrutiny committee should expand a local contract and independent tribunal for foster carers so that risks are spotted earlier.';
  it('calls case, punctuation, quotes and a typo fix the same wording', () => {
    expect(sameWording(text, text.toUpperCase().replace(/\./, ''))).toBe(true);
    expect(sameWording("The council's plan.", 'The council\u2019s plan')).toBe(true);
    expect(sameWording(text, text.replace('independent', 'independant'))).toBe(true);
  });
  it('calls a swapped word or a moved clause a rewording, though Dice stays above 0.9', () => {
    expect(sameWording(text, text.replace('expand', 'grow'))).toBe(false);
    expect(sameWording(text, 'So that risks are spotted earlier, the scrutiny committee should expand a local contract and independent tribunal for foster carers.')).toBe(false);
    const doc = (t: string) => readTextExport(`Plan March 2024\n\n\tRecommendation\tResponse\n1\t${t}\tAgreed.\n`);
    const [link] = matchGenerations(doc(text), doc(text.replace('expand', 'grow'))).links;
    expect(link.evidence.dice).toBeGreaterThan(0.9);
    expect(link.relation).toBe('reworded');
  });
});

describe('features', () => {
  it('counts shared word pairs as phrases, beside single words', () => {
    const g = mergeGlossaries();
    const stems = tokenise('independent tribunal for foster carers', g).map((t) => t.stem);
    expect(stems).toContain('independ tribun');
    expect(stems).toContain('foster carer');
  });

  it('computes IDF by natural\'s formula, 1 + ln(N / (1 + df))', () => {
    const idf = inverseDocumentFrequencies([['a', 'b'], ['a', 'a'], ['c']]);
    expect(idf.get('a')).toBeCloseTo(1 + Math.log(3 / 3), 10);
    expect(idf.get('b')).toBeCloseTo(1 + Math.log(3 / 2), 10);
  });
});

describe('acronyms', () => {
  it('expands an acronym to a concept shared with its written-out form', () => {
    const g = mergeGlossaries();
    const a = tokenise('Review the APP', g).map((t) => t.stem);
    const b = tokenise('Review the Accelerated Progress Plan', g).map((t) => t.stem);
    expect(a).toContain('APP');
    expect(b).toContain('APP');
    expect(tokenise('send the letter', g).map((t) => t.stem)).not.toContain('SEND');
  });

  it('reads "Full Name (ACR)" definitions', () => {
    expect(findDefinitions('the Department for Education (DfE) and Birmingham City Council ((BCC) and others)')).toEqual({
      DfE: 'Department for Education',
      BCC: 'Birmingham City Council',
    });
  });
});

describe('overrides', () => {
  const { older, newer } = pairOf('reworded');
  const doc = (d: typeof older) => d.source.id;

  it('rejects, confirms and adds links, and says a person decided', () => {
    const ls = matchGenerations(older, newer, {
      overrides: {
        decisions: [
          { action: 'reject', from: { document: doc(older), number: '7' }, to: { document: doc(newer), number: '13' } },
          { action: 'confirm', from: { document: doc(older), number: '1' }, to: { document: doc(newer), number: '2' }, note: 'checked' },
          { action: 'add', from: { document: older.source.filename, number: '12' }, to: { document: doc(newer), number: '12' } },
        ],
      },
    });
    const k = keys(ls);
    expect(k).not.toContain('7->13');
    expect(ls.unmatched.from).toContain('7');
    const confirmed = ls.links.find((l) => l.from.number === '1' && l.to.number === '2');
    expect(confirmed?.evidence.decidedBy).toBe('person');
    expect(confirmed?.evidence.note).toMatch(/confirmed by a person.*checked/);
    expect(confirmed?.score).toBe(1);
    const added = ls.links.find((l) => l.from.number === '12' && l.to.number === '12');
    expect(added?.evidence.decidedBy).toBe('person');
    expect(added?.evidence.tfidf).toBeGreaterThan(0); // features computed for the added pair
    expect(ls.unmatched.to).toEqual(['7', '13']); // 13 had no other candidate above the threshold
  });

  it('recomputes relations after an added link makes a merge, and is idempotent', () => {
    const base = matchGenerations(older, newer);
    const overrides = {
      decisions: [{ action: 'add' as const, from: { document: doc(older), number: '12' }, to: { document: doc(newer), number: '2' } }],
    };
    const once = applyOverrides(base, overrides);
    const twice = applyOverrides(once, overrides);
    expect(once.links.filter((l) => l.to.number === '2').map((l) => l.relation)).toEqual(['merged', 'merged']);
    expect(twice).toEqual(once);
    expect(LinkSet.safeParse(once).success).toBe(true);
  });

  it('ignores decisions about other documents', () => {
    const base = matchGenerations(older, newer);
    const other = applyOverrides(base, {
      decisions: [{ action: 'reject', from: { document: 'ffffffffffffffff', number: '1' }, to: { document: doc(newer), number: '2' } }],
    });
    expect(other).toEqual(base);
  });
});

describe('selectPairs', () => {
  const f = (score: number) => ({ tfidf: score, phrases: 0, context: score, dice: 0, keyTerms: 0, sameNumber: false, sharedTerms: [], score });
  const t = { ...DEFAULT_THRESHOLDS };
  // Unrelated pairs of the same two documents: older 2..9 against newer 1..4.
  const background = (score: number) =>
    Array.from({ length: 32 }, (_, k) => ({ older: 2 + (k % 8), newer: 1 + Math.floor(k / 8), features: f(score) }));
  it('links a mutual best at minScore', () => {
    expect(selectPairs([{ older: 0, newer: 0, features: f(t.minScore) }], t)).toHaveLength(1);
    expect(selectPairs([{ older: 0, newer: 0, features: f(t.minScore - 0.01) }], t)).toEqual([]);
  });
  it('takes an extra (split/merge) link only when it stands out from the document pair\'s other scores', () => {
    // older 0 and 1 both find newer 0 best; newer 0 finds older 0 best; older 1 -> newer 0 is within `ratio`.
    const pairs = [{ older: 0, newer: 0, features: f(0.3) }, { older: 1, newer: 0, features: f(0.25) }];
    const quiet = selectPairs([...pairs, ...background(0.02)], t);
    expect(quiet.filter((s) => s.newer === 0).map((s) => s.older)).toEqual([0, 1]);
    // The same extra link in documents whose unrelated pairs score 0.1-0.25 is not distinctive.
    const noisy = selectPairs([...pairs, ...background(0).map((s, k) => ({ ...s, features: f(0.1 + (0.15 * ((k * 7) % 11)) / 10) }))], t);
    expect(noisy.filter((s) => s.newer === 0).map((s) => s.older)).toEqual([0]);
    // Below `ratio` of the other item's best it is never taken.
    const far = selectPairs([{ older: 0, newer: 0, features: f(0.6) }, { older: 1, newer: 0, features: f(0.25) }, ...background(0.02)], t);
    expect(far.filter((s) => s.newer === 0).map((s) => s.older)).toEqual([0]);
  });
});

describe('character-bigram Dice', () => {
  it('computes natural\'s DiceCoefficient from bigram sets built once per text', async () => {
    const { bigramSet, dice, diceOfSets } = await import('../src/match/similarity.js');
    const pairs: Array<[string, string]> = [
      ['The council should publish a plan.', 'The Council should publish its plan'],
      ['Improve assessment timeliness', 'Reduce waiting times for therapy'],
      ['a', 'a'],
      ['SEND  strategy', 'send strategy'],
    ];
    for (const [a, b] of pairs) expect(diceOfSets(bigramSet(a), bigramSet(b))).toBeCloseTo(dice(a, b), 10);
  });
});
