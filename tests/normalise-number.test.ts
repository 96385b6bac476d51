import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkSequence, fullNumber, parseLabelCell, parseLeadingLabel, parseWholeLabel, sameNumberKey, withParent } from '../src/normalise/number.js';
import { refsOf } from '../src/match/refs.js';
import type { Recommendation } from '../src/schema.js';

describe('parseWholeLabel', () => {
  it.each([
    ['1', '1'],
    ['1.', '1'],
    ['(1)', '1'],
    ['1)', '1'],
    ['R1', '1'],
    ['Rec 1', '1'],
    ['Rec. 1', '1'],
    ['Recommendation 1', '1'],
    ['Recommendation 12:', '12'],
    ['3a', '3a'],
    ['3(a)', '3a'],
    ['3.a', '3a'],
    ['R3a', '3a'],
    ['2.1', '2.1'],
    ['2.1.3', '2.1.3'],
    ['3(ii)', '3.ii'],
    ['<b>7</b>', '7'],
    ['07', '07'], // a leading zero is part of the printed number; sameNumberKey compares across documents
  ])('%s → %s', (label, number) => {
    expect(parseWholeLabel(label)?.number).toBe(number);
  });

  it('keeps the published label', () => {
    expect(parseWholeLabel('Recommendation 9')?.label).toBe('Recommendation 9');
    expect(parseWholeLabel('R3a')?.label).toBe('R3a');
  });

  it.each(['2022', 'Status', 'N/A', '', 'In progress', 'Recommendation'])('%s is not a label', (s) => {
    expect(parseWholeLabel(s)).toBeNull();
  });

  it('reads a lone letter set apart before a capital as a bare label, and an article as text', () => {
    expect(parseLeadingLabel('a The Department should act.')).toMatchObject({ number: 'a', subOnly: true, bare: true, rest: 'The Department should act.' });
    expect(parseLeadingLabel('a new approach is needed.')).toBeNull();
    expect(parseLeadingLabel('(a) The Department should act.')?.bare).toBeUndefined();
  });

  it('compares numbers across documents without leading zeros', () => {
    expect(sameNumberKey('07')).toBe('7');
    expect(sameNumberKey('2.05a')).toBe('2.5a');
    expect(sameNumberKey('10')).toBe('10');
    expect(sameNumberKey('A01')).toBe('a1');
  });

  it('marks bare sub-items', () => {
    expect(parseWholeLabel('(b)')).toMatchObject({ number: 'b', subOnly: true });
    expect(parseWholeLabel('iv.')).toMatchObject({ number: 'iv', subOnly: true });
    expect(withParent('3', 'b')).toBe('3b');
    expect(withParent('3', 'iv')).toBe('3.iv');
    // under a lettered item even "i" is a roman sub-point
    expect(withParent('3a', 'i')).toBe('3a.i');
    expect(fullNumber({ number: 'i', parent: '3a' })).toBe('3a.i');
    expect(fullNumber({ number: '3' })).toBe('3');
  });

  it('names sub-items printed bare by their full number in links, so "a" under 1 and "a" under 2 stay apart', () => {
    const r = (n: string, parent?: string): Recommendation => ({ id: `x#${parent ? withParent(parent, n) : n}`, number: n, label: `${n}.`, ...(parent ? { parent } : {}), text: 't', orig: 't', columns: {}, columnsOrig: {}, prov: [{ kind: 'text', line: 1 }] });
    expect(refsOf([r('1'), r('a', '1'), r('2'), r('a', '2')])).toEqual(['1', '1a', '2', '2a']);
  });

  it('gives one canonical key for every published variant (property)', () => {
    const variants = (n: number, sub: string) =>
      sub
        ? [`${n}${sub}`, `${n}(${sub})`, `${n}.${sub}`, `R${n}${sub}`, `Rec ${n}${sub}`, `Recommendation ${n}(${sub})`, `(${n}${sub})`]
        : [`${n}`, `${n}.`, `(${n})`, `${n})`, `R${n}`, `Rec ${n}`, `Rec. ${n}`, `Recommendation ${n}`, `Recommendation ${n}:`];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), fc.constantFrom('', 'a', 'b', 'c', 'd', 'h'), (n, sub) => {
        const keys = new Set(variants(n, sub).map((v) => parseWholeLabel(v)?.number));
        expect([...keys]).toEqual([`${n}${sub}`]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseLeadingLabel', () => {
  it('finds labels at the start of running text', () => {
    expect(parseLeadingLabel('1. The intervention should')).toMatchObject({ number: '1', rest: 'The intervention should' });
    expect(parseLeadingLabel('R2: The council')).toMatchObject({ number: '2', label: 'R2:' });
    expect(parseLeadingLabel('Recommendation 4 The board')).toMatchObject({ number: '4', rest: 'The board' });
    expect(parseLeadingLabel('3(a) The LA')).toMatchObject({ number: '3a' });
    expect(parseLeadingLabel('(b) schools should')).toMatchObject({ number: 'b', subOnly: true });
  });
  it('ignores numbers that are part of the sentence', () => {
    expect(parseLeadingLabel('2022 was a year')).toBeNull();
    expect(parseLeadingLabel('15 schools were visited')).toBeNull();
    expect(parseLeadingLabel('A new plan')).toBeNull();
  });
});

describe('checkSequence', () => {
  const codes = (ns: string[]) => checkSequence(ns).map((m) => m.code);
  it('reports out-of-order numbers but not a clean run', () => {
    expect(codes(['1', '2', '3'])).toEqual([]);
    const seed = [...Array.from({ length: 15 }, (_, i) => String(i + 1)), '18', '19', '16', '17'];
    expect(codes(seed)).toEqual(['normalise/number-out-of-order']);
  });
  it('reports gaps, duplicates and restarts', () => {
    expect(codes(['1', '2', '4'])).toContain('normalise/number-gap');
    expect(codes(['1', '2', '2'])).toContain('normalise/number-duplicate');
    expect(codes(['1', '2', '1', '2'])).toContain('normalise/number-restart');
  });
});

describe('labels versus references', () => {
  it('does not read "Recommendation 1 is…" as a label', () => {
    expect(parseLeadingLabel('Recommendation 1 is strictly conditional on support')).toBeNull();
    expect(parseLeadingLabel('Recommendation 1: The council should')).toMatchObject({ number: '1' });
    expect(parseLeadingLabel('Recommendation 1 The council should')).toMatchObject({ number: '1' });
  });
});

describe('parseLabelCell', () => {
  it.each([
    ['Recommendation no. 1\nParagraph 2.45', '1'],
    ['R3\n(para 12)', '3'],
    ['Recommendation 4\nParagraphs 4.8 and 4.9', '4'],
    ['Recommendation number 5', '5'],
    ['Recommendation #6', '6'],
  ])('%j is numbered %s', (cell, number) => expect(parseLabelCell(cell)?.number).toBe(number));

  it('reads no number where the second line is more than a pointer', () => {
    expect(parseLabelCell('Recommendation 1\nThe council should act')).toBeNull();
    expect(parseLabelCell('2021\nParagraph 3')).toBeNull();
  });
});
