// Corrections in the overrides file are re-applied by every extract, link and
// run, and a correction that no longer applies is said on stderr and in the JSON.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DocumentJson, LinkSet, Manifest, type Overrides } from '../src/schema.js';

const cli = (args: string[]) => spawnSync(process.execPath, ['bin/rectrace.js', ...args], { encoding: 'utf8', timeout: 120_000 });
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('corrections through the CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rectrace-corr-'));
  const older = path.join(dir, 'older.txt');
  const newer = path.join(dir, 'newer.txt');
  copyFileSync('fixtures/generations/progress-update/older.txt', older);
  copyFileSync('fixtures/generations/progress-update/newer.txt', newer);
  const out = path.join(dir, 'out');
  const overridesFile = path.join(dir, 'overrides.json');
  const docs = () => {
    const m = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    return m.documents.map((d) => ({ entry: d, doc: DocumentJson.parse(JSON.parse(readFileSync(path.join(out, d.output!), 'utf8'))) }));
  };

  it('extract applies them, a second extract keeps them, link applies them to plain JSON', () => {
    expect(cli(['extract', older, newer, '--out', out, '--quiet']).status).toBe(0);
    const [a] = docs();
    const first = a.doc.recommendations[0];
    const second = a.doc.recommendations[1];
    const overrides: Overrides = {
      decisions: [],
      corrections: [
        { id: 'c-edit', action: 'edit', document: a.doc.source.sha256, source: older, by: 'alice', at: '2026-11-30T10:00:00Z', recommendation: first.id, set: { text: 'Corrected by Alice.' } },
        { id: 'c-drop', action: 'drop', document: a.doc.source.sha256, source: older, by: 'alice', at: '2026-11-30T10:01:00Z', recommendation: second.id },
      ],
    };
    writeFileSync(overridesFile, JSON.stringify(overrides));
    for (let run = 0; run < 2; run++) {
      const r = cli(['extract', older, newer, '--out', out, '--overrides', overridesFile]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('2 corrections applied, 0 not applied');
      const [x] = docs();
      expect(x.doc.recommendations[0]).toMatchObject({ text: 'Corrected by Alice.', decidedBy: 'person', corrections: ['c-edit'] });
      expect(x.doc.recommendations.some((r) => r.id === second.id)).toBe(false);
      expect(x.entry.recommendations).toBe(a.doc.recommendations.length - 1);
      expect(x.doc.corrections?.filter((c) => c.applied)).toHaveLength(2);
    }
    // `link` on JSON written without corrections applies them too.
    const plainOut = path.join(dir, 'plain');
    expect(cli(['extract', older, newer, '--out', plainOut, '--quiet']).status).toBe(0);
    const m = Manifest.parse(JSON.parse(readFileSync(path.join(plainOut, 'manifest.json'), 'utf8')));
    const linkFile = path.join(dir, 'links.json');
    const r = cli(['link', ...m.documents.map((d) => path.join(plainOut, d.output!)), '--out', linkFile, '--overrides', overridesFile, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const links = LinkSet.parse(JSON.parse(readFileSync(linkFile, 'utf8')));
    expect(links.links.some((l) => l.from.number === second.number)).toBe(false);
    expect(links.unmatched.from).not.toContain(second.number);
  });

  it('a person taking a correction back gets the extraction back', () => {
    const overrides = JSON.parse(readFileSync(overridesFile, 'utf8')) as Overrides;
    writeFileSync(overridesFile, JSON.stringify({ ...overrides, corrections: overrides.corrections!.slice(0, 1) }));
    const r = cli(['extract', older, newer, '--out', out, '--overrides', overridesFile]);
    expect(r.status, r.stderr).toBe(0);
    const [x] = docs();
    expect(x.doc.recommendations[0].text).toBe('Corrected by Alice.');
    expect(x.doc.corrections?.map((c) => c.id)).toEqual(['c-edit']);
    expect(x.doc.recommendations.filter((r) => r.decidedBy === 'person')).toHaveLength(1);
    expect(x.entry.recommendations).toBe(x.doc.recommendations.length);
  });

  it('when the document changes, its corrections are reported, not dropped in silence', () => {
    const before = sha(older);
    appendFileSync(older, '\n');
    expect(sha(older)).not.toBe(before);
    const r = cli(['run', older, newer, '--out', out, '--overrides', overridesFile]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/rectrace: overrides: correction c-edit: correction\/document-changed: /);
    expect(r.stderr).toContain('0 corrections applied, 1 not applied');
    const [x] = docs();
    expect(x.doc.messages.map((m) => m.code)).toContain('correction/document-changed');
    expect(x.doc.recommendations.some((r) => r.decidedBy)).toBe(false);
  });
});
