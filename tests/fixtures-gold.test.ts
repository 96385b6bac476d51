// The committed fixture set is consistent: every indexed fixture and gold file
// exists, gold text is in the clean form the README promises, the seed golds
// say what the seeds say, and each bad input is the kind of bad it claims.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GoldFile } from '../src/evaluate/gold.js';

const ROOT = 'fixtures';
const read = (p: string) => readFileSync(path.join(ROOT, p));
const json = (p: string) => JSON.parse(read(p).toString('utf8')) as unknown;

type IndexValue = { gold: string; method: string | null };
const index = json('gold/index.json') as Record<string, IndexValue>;
const goldNames = [...new Set(Object.values(index).map((v) => v.gold))];
const golds = new Map(goldNames.map((g) => [g, GoldFile.parse(json(path.join('gold', g)))]));
const gold = (name: string) => golds.get(name)!;

const METHODS = ['pdf-tagged', 'pdf-ruled', 'pdf-borderless', 'docx', 'html', 'text-tsv', 'text-columns', 'text-markdown'];

function allText(g: GoldFile): string[] {
  return [
    g.document?.title ?? '',
    ...g.recommendations.flatMap((r) => [r.text, ...Object.values(r.columns ?? {}), r.section ?? '']),
  ].filter((s) => s !== '');
}

describe('fixtures/gold/index.json', () => {
  it('points at fixtures and gold files that exist, with known methods', () => {
    expect(Object.keys(index).length).toBeGreaterThanOrEqual(20);
    for (const [fixture, v] of Object.entries(index)) {
      expect(existsSync(path.join(ROOT, fixture)), fixture).toBe(true);
      expect(statSync(path.join(ROOT, fixture)).size, fixture).toBeGreaterThan(0);
      expect(existsSync(path.join(ROOT, 'gold', v.gold)), v.gold).toBe(true);
      if (v.method !== null) expect(METHODS, fixture).toContain(v.method);
    }
  });

  it('maps every seed-derived document to its seed gold', () => {
    const by = (g: string) => Object.keys(index).filter((k) => index[k]!.gold === g).sort();
    expect(by('seed-2022.json')).toEqual([
      'docx/seed-2022-recnumbering.docx',
      'docx/seed-2022.docx',
      'html/seed-2022.html',
      'pdf/seed-2022-borderless.pdf',
      'pdf/seed-2022-headed.pdf',
      'pdf/seed-2022-rects.pdf',
      'pdf/seed-2022-ruled.pdf',
      'pdf/seed-2022-tagged.pdf',
      'seeds/000_2f423a773bf542d4.txt',
    ]);
    expect(by('seed-2023.json')).toContain('docx/seed-2023-autonumber.docx');
    expect(index['seeds/004_0b441babad7e57b2.txt']!.method).toBe('text-columns');
  });
});

describe('gold text is clean', () => {
  it.each(goldNames)('%s', (name) => {
    const g = gold(name);
    expect(g.recommendations.length).toBeGreaterThan(0);
    for (const s of allText(g)) {
      expect(s.normalize('NFKC'), s).toBe(s);
      expect(s, 'curly quotes').not.toMatch(/[\u2018\u2019\u201C\u201D]/);
      expect(s, 'en/em dashes').not.toMatch(/[\u2013\u2014]/);
      expect(s, 'markup').not.toMatch(/<\/?[a-z][^>]*>|\*\*/i);
      expect(s.trim(), 'outer whitespace').toBe(s);
      // Paragraphs are separated by exactly one blank line; inside one, single spaces.
      for (const para of s.split('\n\n')) {
        expect(para, JSON.stringify(s)).toMatch(/^\S(?:.*\S)?$/);
        expect(para, 'collapsed whitespace').not.toMatch(/\s{2,}|[\t\n]/);
      }
    }
    const numbers = g.recommendations.map((r) => r.number);
    expect(new Set(numbers).size, 'unique numbers').toBe(numbers.length);
    if (g.document?.date) expect(g.document.date).toMatch(/^\d{4}-\d{2}$/);
  });
});

describe('seed golds say what the seeds say', () => {
  it('2022: 19 recommendations in published order, rec 15 response in three paragraphs', () => {
    const g = gold('seed-2022.json');
    expect(g.document).toEqual({ title: "Response to SEND Commissioner's Recommendations Update August 2022", date: '2022-08' });
    expect(g.recommendations.map((r) => r.number)).toEqual([
      ...Array.from({ length: 15 }, (_, i) => String(i + 1)),
      '18',
      '19',
      '16',
      '17',
    ]);
    const r15 = g.recommendations.find((r) => r.number === '15')!;
    expect(r15.columns!.response!.split('\n\n')).toHaveLength(3);
    expect(r15.text).toContain('re-establish itself as a "children\'s services authority" in line with Children Act 2004');
    expect(g.recommendations[1]!.columns!.response).toMatch(/^The Council Leadership - political and officers - agree/);
    // Every gold value's words occur in the seed (the seed's curly quotes and dashes aside).
    const seed = read('seeds/000_2f423a773bf542d4.txt')
      .toString('utf8')
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201C\u201D]/g, '"')
      .replace(/[\u2013\u2014]/g, '-')
      .replace(/<\/?p>/g, ' ')
      .replace(/\s+/g, ' ');
    for (const r of g.recommendations) {
      expect(seed).toContain(`${r.number} ${r.text} `);
      for (const p of r.columns!.response!.split('\n\n')) expect(seed).toContain(p);
    }
  });

  it('2023: 10 recommendations with owner, update and status; empty updates are ""', () => {
    const g = gold('seed-2023.json');
    expect(g.document?.date).toBe('2023-07');
    expect(g.recommendations.map((r) => r.number)).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1)));
    for (const r of g.recommendations) expect(Object.keys(r.columns!).sort()).toEqual(['owner', 'status', 'update']);
    expect(g.recommendations.filter((r) => r.columns!.update === '').map((r) => r.number)).toEqual(['1', '2', '3', '8']);
    expect(g.recommendations.map((r) => r.columns!.status)).toEqual([
      'N/A', 'N/A', 'N/A', 'In progress', 'In progress', 'In progress', 'In progress', 'N/A', 'In progress', 'In progress',
    ]);
    const seed = read('seeds/004_0b441babad7e57b2.txt').toString('utf8');
    for (const r of g.recommendations) {
      expect(seed).toContain(`<b>${r.number}</b>\t${r.text}\n`);
      expect(seed).toContain(`${r.columns!.owner}\t${r.columns!.update}\n`);
    }
  });

  it('merged-cells: sections on every recommendation, the merged owner on both rows', () => {
    const g = gold('merged-cells.json');
    expect(g.recommendations.map((r) => r.section)).toEqual([
      'Theme 1: Governance and leadership',
      'Theme 1: Governance and leadership',
      'Theme 2: Communication with families',
      'Theme 2: Communication with families',
      'Theme 3: Inclusion in schools',
    ]);
    expect(g.recommendations[0]!.columns!.owner).toBe(g.recommendations[1]!.columns!.owner);
  });

  it('running-header: no running header or page footer leaks into gold text', () => {
    for (const s of allText(gold('running-header.json'))) {
      expect(s).not.toMatch(/Progress Report$|Page \d+ of \d+/);
    }
  });
});

describe('fixtures/bad', () => {
  const expected = json('bad/expected.json') as Record<string, string>;
  const codes = [...readFileSync('src/errors.ts', 'utf8').matchAll(/\|\s*'([a-z]+\/[a-z-]+)'/g)].map((m) => m[1]!);

  it('expects a known error code or "ok" for every bad file that exists', () => {
    expect(codes).toContain('pdf/encrypted');
    // Every bad file has an expectation, and every expectation a file.
    const files = readdirSync(path.join(ROOT, 'bad')).filter((f) => f !== 'expected.json').map((f) => `bad/${f}`);
    expect(Object.keys(expected).sort()).toEqual(files.sort());
    for (const [file, code] of Object.entries(expected)) {
      expect(existsSync(path.join(ROOT, file)), file).toBe(true);
      expect(['ok', ...codes], file).toContain(code);
    }
  });

  it('holds the kinds of bad bytes it claims', () => {
    expect(read('bad/empty.docx').length).toBe(0);
    expect(read('bad/random.pdf').subarray(0, 4).toString('latin1')).not.toBe('%PDF');
    expect(read('bad/pdf-named.docx').equals(read('pdf/seed-2023-ruled.pdf'))).toBe(true);
    expect(read('bad/not-a-zip.docx').toString('utf8')).toMatch(/^[\x20-\x7e]+\n$/);
    const whole = read('pdf/seed-2022-ruled.pdf');
    const cut = read('bad/truncated.pdf');
    expect(cut.length).toBe(Math.floor(whole.length / 2));
    expect(whole.subarray(0, cut.length).equals(cut)).toBe(true);
    expect(read('bad/encrypted.pdf').toString('latin1')).toMatch(/\/Encrypt \d+ 0 R/);
    const image = read('bad/image-only.pdf').toString('latin1');
    expect(image).toMatch(/\/Subtype \/Image/);
    expect(image).not.toMatch(/\/Font|BT\b/);
  });

  it('zip-bomb.docx declares far more than it stores', () => {
    const zip = read('bad/zip-bomb.docx');
    expect(zip.length).toBeLessThan(5 * 1024 * 1024);
    expect(zipEntries(zip)['word/document.xml']).toBeGreaterThan(1_000_000_000);
  });

  it('no-document-xml.docx is a zip without word/document.xml', () => {
    const names = Object.keys(zipEntries(read('bad/no-document-xml.docx')));
    expect(names).toContain('[Content_Types].xml');
    expect(names).not.toContain('word/document.xml');
  });
});

/** Entry name -> declared uncompressed size, from the zip's central directory (no comment, no zip64). */
function zipEntries(zip: Buffer): Record<string, number> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  let at = zip.readUInt32LE(end + 16);
  const sizes: Record<string, number> = {};
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const nameLen = zip.readUInt16LE(at + 28);
    sizes[zip.subarray(at + 46, at + 46 + nameLen).toString('utf8')] = zip.readUInt32LE(at + 24);
    at += 46 + nameLen + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return sizes;
}
