import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { applyCorrections, canonicalNumber, correctionsOfChangedDocument } from '../src/corrections/index.js';
import { Correction, DocumentJson, Overrides, SCHEMA_VERSION, type Recommendation } from '../src/schema.js';

const SHA = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const ID = SHA.slice(0, 16);

function rec(number: string, text: string, top: number): Recommendation {
  return {
    id: `${ID}#${number}`,
    number,
    label: number,
    text,
    orig: text,
    columns: { status: 'Not started', owner: 'Council' },
    columnsOrig: { status: 'Not started', owner: 'Council' },
    status: { value: 'not-started', raw: 'Not started' },
    table: `${ID}-t1`,
    prov: [{ kind: 'pdf', page: 1, bbox: [50, top - 40, 500, top] }],
  };
}

function doc(): DocumentJson {
  return DocumentJson.parse({
    schemaVersion: SCHEMA_VERSION,
    generator: { name: 'rectrace', version: 'test' },
    source: { id: ID, path: 'reports/plan.pdf', filename: 'plan.pdf', format: 'pdf', sha256: SHA, bytes: 10, pages: 1 },
    document: {},
    tables: [],
    recommendations: [rec('1', 'Publish the minutes.', 700), rec('2', 'Review the offer. Train the staff.', 600), rec('3', 'Report timeliness.', 500)],
    messages: [],
  });
}

const base = { document: SHA, source: 'reports/plan.pdf', by: 'alice', at: '2026-11-30T10:00:00.000Z' };

describe('corrections', () => {
  it('keeps a sub-item under its parent when a person types a bare sub-number, and lets a full number stand alone', () => {
    const d = doc();
    d.recommendations[1] = { ...d.recommendations[1], id: `${ID}#1a`, number: 'a', label: 'a.', parent: '1' };
    const corrections: Correction[] = [
      { ...base, id: 's1', action: 'split', recommendation: `${ID}#1a`, parts: [{ number: 'a.', text: 'Review the offer.' }, { number: 'b.', text: 'Train the staff.' }] },
      { ...base, id: 'e1', action: 'edit', recommendation: `${ID}#3`, set: { number: '4' } },
    ];
    const { doc: out, problems } = applyCorrections(d, { corrections });
    expect(problems).toEqual([]);
    expect(out.recommendations.map((r) => [r.number, r.parent ?? '', r.id.split('#')[1]])).toEqual([
      ['1', '', '1'],
      ['a', '1', '1a'],
      ['b', '1', '1b'],
      ['4', '', '3'],
    ]);
    const retyped = applyCorrections(out, { corrections: [{ ...base, id: 'e2', action: 'edit', recommendation: `${ID}#1b`, set: { number: '2' } }] }).doc;
    expect(retyped.recommendations[2]).toMatchObject({ number: '2' });
    expect(retyped.recommendations[2].parent).toBeUndefined();
  });

  it('edit, confirm, split, merge, drop and add change the items and say decidedBy person', () => {
    const corrections: Correction[] = [
      { ...base, id: 'c1', action: 'edit', recommendation: `${ID}#1`, set: { text: 'Publish the minutes within ten days.', columns: { status: 'Complete' } } },
      { ...base, id: 'c2', action: 'split', recommendation: `${ID}#2`, parts: [{ number: '2a', text: 'Review the offer.' }, { number: 'R2b', text: 'Train the staff.' }] },
      { ...base, id: 'c3', action: 'confirm', recommendation: `${ID}#3` },
      { ...base, id: 'c4', action: 'add', number: 'Recommendation 4', text: 'Audit the plans.', prov: [{ kind: 'pdf', page: 1, bbox: [50, 350, 500, 400] }] },
    ];
    const { doc: out, problems, changed } = applyCorrections(doc(), { corrections });
    expect(changed).toBe(true);
    expect(problems).toEqual([]);
    expect(out.recommendations.map((r) => r.number)).toEqual(['1', '2a', '2b', '3', '4']);
    const [one, a, b, three, four] = out.recommendations;
    expect(one.text).toBe('Publish the minutes within ten days.');
    expect(one.orig).toBe('Publish the minutes.');
    expect(one.status).toEqual({ value: 'complete', raw: 'Complete' });
    expect(one.columns.owner).toBe('Council');
    expect([a.text, b.text, b.label]).toEqual(['Review the offer.', 'Train the staff.', 'R2b']);
    expect(new Set(out.recommendations.map((r) => r.id)).size).toBe(5);
    expect(three.decidedBy).toBe('person');
    expect(four.label).toBe('Recommendation 4');
    expect(out.recommendations.every((r) => r.decidedBy === 'person' && r.corrections?.length === 1)).toBe(true);
    expect(out.corrections?.map((c) => [c.id, c.applied])).toEqual([
      ['c1', true],
      ['c2', true],
      ['c3', true],
      ['c4', true],
    ]);
    expect(DocumentJson.safeParse(out).success).toBe(true);
  });

  it('merge joins texts, columns and places; drop removes', () => {
    const corrections: Correction[] = [
      { ...base, id: 'm', action: 'merge', recommendations: [`${ID}#1`, `${ID}#2`] },
      { ...base, id: 'd', action: 'drop', recommendation: `${ID}#3` },
    ];
    const { doc: out } = applyCorrections(doc(), { corrections });
    expect(out.recommendations).toHaveLength(1);
    expect(out.recommendations[0].text).toBe('Publish the minutes.\n\nReview the offer. Train the staff.');
    expect(out.recommendations[0].prov).toHaveLength(2);
    expect(out.recommendations[0].columns.owner).toBe('Council');
  });

  it('applying twice changes nothing (the document records what it has seen)', () => {
    const overrides = { corrections: [{ ...base, id: 'd', action: 'drop' as const, recommendation: `${ID}#3` }] };
    const once = applyCorrections(doc(), overrides);
    const twice = applyCorrections(once.doc, overrides);
    expect(twice.changed).toBe(false);
    expect(twice.doc).toEqual(once.doc);
    expect(twice.needsFresh).toBe(false);
    // Taking the correction back asks for a fresh extraction.
    expect(applyCorrections(once.doc, { corrections: [] }).needsFresh).toBe(true);
  });

  it('a correction whose item is gone is reported with a code, never dropped in silence', () => {
    const overrides = { corrections: [{ ...base, id: 'gone', action: 'edit' as const, recommendation: `${ID}#9`, set: { text: 'x' } }] };
    const { doc: out, problems } = applyCorrections(doc(), overrides);
    expect(problems.map((p) => p.code)).toEqual(['correction/target-missing']);
    expect(out.messages.map((m) => m.code)).toEqual(['correction/target-missing']);
    expect(out.corrections).toEqual([{ id: 'gone', action: 'edit', applied: false, code: 'correction/target-missing' }]);
    // Reported once, not again on the next pass.
    expect(applyCorrections(out, overrides).changed).toBe(false);
  });

  it('a correction made on an earlier version of the file is reported on the new version', () => {
    const old = { ...base, document: OTHER, id: 'old', action: 'confirm' as const, recommendation: `${OTHER.slice(0, 16)}#1` };
    const d = doc();
    const stale = correctionsOfChangedDocument(d, { corrections: [old] }, new Set([SHA]));
    expect(stale.map((c) => c.id)).toEqual(['old']);
    // Not stale when that version is also in the run.
    expect(correctionsOfChangedDocument(d, { corrections: [old] }, new Set([SHA, OTHER]))).toEqual([]);
    const { doc: out, problems } = applyCorrections(d, { corrections: [old] }, stale);
    expect(problems.map((p) => p.code)).toEqual(['correction/document-changed']);
    expect(out.messages[0].code).toBe('correction/document-changed');
    expect(out.recommendations.some((r) => r.decidedBy)).toBe(false);
  });

  it('numbers typed by a person are made canonical', () => {
    expect(canonicalNumber('R12')).toBe('12');
    expect(canonicalNumber('Recommendation 3(a)')).toBe('3a');
    expect(canonicalNumber('Annex')).toBe('Annex');
  });
});

describe('the corrections schema (schema/overrides.schema.json, schema/correction.schema.json)', () => {
  const file: Overrides = {
    decisions: [{ action: 'confirm', from: { document: 'a', number: '1' }, to: { document: 'b', number: '2' } }],
    corrections: [
      { ...base, id: 'c1', action: 'confirm', recommendation: `${ID}#1` },
      { ...base, id: 'c2', action: 'edit', recommendation: `${ID}#1`, set: { number: '1a', columns: { owner: 'DfE' } }, was: { number: '1' } },
      { ...base, id: 'c3', action: 'split', recommendation: `${ID}#2`, parts: [{ number: '2', text: 'A' }, { number: '2b', text: 'B' }] },
      { ...base, id: 'c4', action: 'merge', recommendations: [`${ID}#1`, `${ID}#2`], text: 'AB' },
      { ...base, id: 'c5', action: 'drop', recommendation: `${ID}#3`, note: 'a heading' },
      { ...base, id: 'c6', action: 'add', number: '7', text: 'New', after: `${ID}#1`, prov: [{ kind: 'docx', path: 'body/4/p', paragraph: 0 }] },
    ],
  };
  const published = z.fromJSONSchema(JSON.parse(readFileSync('schema/overrides.schema.json', 'utf8')));

  it('round-trips through JSON and through the published JSON Schema', () => {
    const again = Overrides.parse(JSON.parse(JSON.stringify(file)));
    expect(again).toEqual(file);
    expect(published.safeParse(JSON.parse(JSON.stringify(file))).success).toBe(true);
  });

  it('refuses a correction without who, with a short hash, or with an unknown action, in zod and in the JSON Schema', () => {
    const bad = [
      { ...file.corrections![0], by: undefined },
      { ...file.corrections![0], document: 'abc' },
      { ...file.corrections![0], action: 'rename' },
      { ...file.corrections![2], parts: [{ number: '2', text: 'only one' }] },
    ];
    for (const c of bad) {
      const raw = JSON.parse(JSON.stringify({ decisions: [], corrections: [c] }));
      expect(Overrides.safeParse(raw).success).toBe(false);
      expect(published.safeParse(raw).success).toBe(false);
    }
  });
});
