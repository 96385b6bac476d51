import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { haveShared, SHARED } from './helpers/shared.js';
import { describe, expect, it } from 'vitest';
import { aggregate, fromModelTable, parseStructureXml, prf, relationsOf, scoreDocument, type DocScore } from '../bench/icdar-score.js';
import type { ModelTable } from '../src/schema.js';

const corpus = join(SHARED, 'corpus');
const icdar = join(corpus, 'icdar2013');
const tabiais = join(corpus, 'icdar2013-tabiais/ours_icdar2013_ctn_thresh=0.85.tar.gz');

const xml = (cells: string): string => `<document><table id="1"><region id="1" page="1" row-increment="0" col-increment="0">${cells}</region></table></document>`;
const cell = (r: number, c: number, text: string, er?: number, ec?: number): string =>
  `<cell id="1" start-row="${r}" start-col="${c}"${er !== undefined ? ` end-row="${er}"` : ''}${ec !== undefined ? ` end-col="${ec}"` : ''}><bounding-box x1="0" x2="1" y1="0" y2="1"/><content>${text}</content></cell>`;

describe('adjacency relations', () => {
  it('links nearest content cells right and down, skipping empty positions and counting them', () => {
    const [t] = parseStructureXml(xml(cell(0, 0, 'A') + cell(0, 2, 'B') + cell(1, 0, 'C') + cell(1, 1, 'D')));
    expect([...relationsOf(t).keys()].sort()).toEqual(['h|a|b|1', 'h|c|d|0', 'v|a|c|0'].sort());
  });

  it('gives a spanning cell one relation per spanned row and column, a pair once', () => {
    const [t] = parseStructureXml(xml(cell(0, 0, 'Head', 0, 1) + cell(1, 0, 'x') + cell(1, 1, 'y')));
    expect([...relationsOf(t).keys()].sort()).toEqual(['h|x|y|0', 'v|head|x|0', 'v|head|y|0']);
    const [u] = parseStructureXml(xml(cell(0, 0, 'Tall', 1, 0) + cell(0, 1, 'p') + cell(1, 1, 'q')));
    expect([...relationsOf(u).keys()].sort()).toEqual(['h|tall|p|0', 'h|tall|q|0', 'v|p|q|0']);
  });

  it('applies region increments and compares text without whitespace, case-insensitively, keeping punctuation', () => {
    const a = parseStructureXml(
      `<document><table id="1"><region id="1" page="2" row-increment="-1" col-increment="0">${cell(1, 0, 'Total  Value')}${cell(1, 1, '1.0')}</region></table></document>`,
    );
    const b = parseStructureXml(xml(cell(0, 0, 'totalvalue') + cell(0, 1, '1.0')).replace('page="1"', 'page="2"'));
    expect(scoreDocument(a, b)).toMatchObject({ correct: 1, detected: 1, truth: 1 });
    const c = parseStructureXml(xml(cell(0, 0, 'totalvalue') + cell(0, 1, '1.0*')).replace('page="1"', 'page="2"'));
    expect(scoreDocument(a, c).correct).toBe(0);
  });

  it('pairs tables only on the same page and counts unpaired detections', () => {
    const det = parseStructureXml(xml(cell(0, 0, 'a') + cell(0, 1, 'b')) + xml(cell(0, 0, 'z') + cell(1, 0, 'w')));
    const gt = parseStructureXml(xml(cell(0, 0, 'a') + cell(0, 1, 'b') + cell(1, 0, 'c')));
    expect(scoreDocument(det, gt)).toMatchObject({ correct: 1, detected: 2, truth: 2, paired: 1 });
  });

  it('cuts a stitched model table back into one table per page', () => {
    const t: ModelTable = {
      type: 'table',
      method: 'pdf-ruled',
      confidence: 1,
      prov: [],
      rows: [
        { prov: [], cells: [{ orig: 'a', rowSpan: 1, colSpan: 1, prov: [{ kind: 'pdf', page: 1 }] }] },
        { prov: [], cells: [{ orig: 'b', rowSpan: 1, colSpan: 1, prov: [{ kind: 'pdf', page: 2 }] }] },
      ],
    };
    expect(fromModelTable(t, 't').map((x) => x.page)).toEqual([1, 2]);
  });
});

/** Files of a .tar.gz (ustar), by name. */
function untar(gz: Buffer): Map<string, string> {
  const tar = gunzipSync(gz);
  const files = new Map<string, string>();
  for (let off = 0; off + 512 <= tar.length; ) {
    const name = tar.subarray(off, off + 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(tar.subarray(off + 124, off + 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(tar[off + 156]);
    if (type === '0' || type === '\0') files.set(name.replace(/^\.\//, ''), tar.subarray(off + 512, off + 512 + size).toString('utf8'));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe.skipIf(!haveShared('corpus/icdar2013-tabiais/ours_icdar2013_ctn_thresh=0.85.tar.gz', 'the ICDAR scorer against the official tool') || !haveShared('corpus/icdar2013', 'the ICDAR scorer against the official tool'))('scorer against the official tool', () => {
  it('reproduces the official ground-truth relation counts for all 163 tables', () => {
    const counts = JSON.parse(readFileSync(join(icdar, 'official-tool-gt-relation-counts.json'), 'utf8')) as {
      documents: Record<string, { per_table: Record<string, number> }>;
    };
    let n = 0;
    for (const [doc, v] of Object.entries(counts.documents)) {
      const ts = parseStructureXml(readFileSync(join(icdar, `${doc}-str.xml`), 'utf8'));
      ts.forEach((t, i) => {
        expect([doc, i + 1, [...relationsOf(t).values()].reduce((a, b) => a + b, 0)]).toEqual([doc, i + 1, v.per_table[String(i + 1)]]);
        n++;
      });
    }
    expect(n).toBe(163);
  });

  it('scores the TAB.IAIS CTN run at 0.8589 per-document and 0.9196 pooled', () => {
    const results = untar(readFileSync(tabiais));
    const scores: DocScore[] = [];
    for (const [name, text] of [...results.entries()].filter(([n]) => n.endsWith('.xml')).sort()) {
      const stem = name.replace(/\.xml$/, '');
      const variants = [stem, stem.replace(/a$/, 'b')].filter((v, i) => (i === 0 || v !== stem) && existsSync(join(icdar, `${v}-str.xml`)));
      const det = parseStructureXml(text);
      const best = variants
        .map((v) => scoreDocument(det, parseStructureXml(readFileSync(join(icdar, `${v}-str.xml`), 'utf8'))))
        .sort((a, b) => prf(b).f - prf(a).f)[0];
      scores.push(best);
    }
    expect(scores).toHaveLength(67);
    const agg = aggregate(scores);
    expect(agg.perDoc.f.toFixed(4)).toBe('0.8589');
    expect(agg.pooled.f.toFixed(4)).toBe('0.9196');
  });

  it('finds the corpus files it expects', () => {
    expect(readdirSync(icdar).filter((f) => f.endsWith('.pdf'))).toHaveLength(67);
  });
});
