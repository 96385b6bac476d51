// PDF pages without a text layer are read by OCR (tesseract.js, with the
// English model from npm: nothing is fetched). The fixture has a scanned page
// and a page of glyph outlines (scripts/fixtures/make-scanned.ts).
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RectraceError } from '../src/errors.js';
import { extractFile } from '../src/pipeline.js';
import { rasterise, pathPolygons } from '../src/parse/pdf/raster.js';
import { sizeClasses } from '../src/parse/pdf/scan.js';
import { ocrAllowanceMs, withTimeout } from '../src/batch/timeout.js';
import type { DocumentJson } from '../src/schema.js';
import { runCli } from './run-cli.js';

const FIXTURE = 'fixtures/pdf/scanned/recommendations-no-text-layer.pdf';
const gold = JSON.parse(readFileSync(FIXTURE.replace(/\.pdf$/, '.gold.json'), 'utf8')) as { recommendations: { number: string; text: string }[] };

const words = (s: string): string[] => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
/** Share of the gold's words found in order (longest common subsequence over the longer text). */
function wordSimilarity(a: string, b: string): number {
  const [x, y] = [words(a), words(b)];
  const d = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = 1; i <= x.length; i++) for (let j = 1; j <= y.length; j++) d[i][j] = x[i - 1] === y[j - 1] ? d[i - 1][j - 1] + 1 : Math.max(d[i - 1][j], d[i][j - 1]);
  return d[x.length][y.length] / Math.max(x.length, y.length, 1);
}

describe('OCR of pages without a text layer', () => {
  let doc: DocumentJson;
  beforeAll(async () => {
    doc = await extractFile(FIXTURE);
  }, 180_000);

  it('finds the recommendations, numbered as printed, with their text', () => {
    expect(doc.recommendations.map((r) => r.number)).toEqual(gold.recommendations.map((g) => g.number));
    for (const [i, g] of gold.recommendations.entries()) {
      expect(wordSimilarity(doc.recommendations[i].text, g.text), doc.recommendations[i].text).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('keeps provenance: page and a box in PDF user space (the scan on page 1, the outlines on page 2)', () => {
    const prov = doc.recommendations.map((r) => r.prov[0]);
    expect(prov.map((p) => p.page)).toEqual([1, 1, 2]);
    for (const p of prov) {
      const [x0, y0, x1, y1] = p.bbox!;
      // Printed at x = 72 pt, baselines between 632 and 746 pt; the page is 595 x 842.
      expect(x0).toBeGreaterThan(60);
      expect(x0).toBeLessThan(80);
      expect(x1).toBeLessThan(595);
      expect(y0).toBeGreaterThan(600);
      expect(y1).toBeLessThan(842);
    }
  });

  it('says the text was machine-read, naming the pages', () => {
    const ocr = doc.messages.filter((m) => m.code === 'pdf/ocr');
    expect(ocr).toHaveLength(1);
    expect(ocr[0].severity).toBe('warning');
    expect(ocr[0].reason).toMatch(/pages 1–2 .*confidence \d+%/);
  });

  it('with OCR off, fails with pdf/no-text-layer', async () => {
    const err = await extractFile(FIXTURE, { ocr: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RectraceError);
    expect((err as RectraceError).code).toBe('pdf/no-text-layer');
  });

  it('the CLI takes --no-ocr', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'rectrace-ocr-'));
    const r = await runCli(['extract', FIXTURE, '--out', out, '--no-ocr', '--quiet']);
    expect(r.status).toBe(1);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.documents[0].error.code).toBe('pdf/no-text-layer');
    // OCR writes no model or cache files anywhere it was run from.
    expect(readdirSync(process.cwd()).filter((f) => /traineddata/.test(f))).toEqual([]);
    expect(existsSync(path.join(out, 'eng.traineddata'))).toBe(false);
  });
});

describe('the rasteriser', () => {
  it('fills a path (non-zero winding) and keeps the hole of an even-odd ring', () => {
    // A 10 x 10 pt square with a 4 x 4 hole, at 72 dpi on a 20 x 20 pt page.
    const ring = pathPolygons([0, 5, 5, 1, 15, 5, 1, 15, 15, 1, 5, 15, 4, 0, 8, 8, 1, 8, 12, 1, 12, 12, 1, 12, 8, 4], [1, 0, 0, 1, 0, 0]);
    const r = rasterise([{ kind: 'fill', polygons: ring, evenOdd: true, grey: 0 }], [0, 0, 20, 20], 0, 1);
    const at = (x: number, y: number): number => r.data[(20 - 1 - y) * r.width + x];
    expect([r.width, r.height]).toEqual([20, 20]);
    expect(at(6, 6)).toBe(0); // inside the square
    expect(at(10, 10)).toBe(255); // in the hole
    expect(at(2, 2)).toBe(255); // outside
  });

  it('draws a picture where its transform puts it', () => {
    const grey = new Uint8Array([0, 255, 255, 0]);
    const r = rasterise([{ kind: 'image', ctm: [10, 0, 0, 10, 0, 10], width: 2, height: 2, grey }], [0, 0, 20, 20], 0, 1);
    // The image's first row is its top: black top-left quarter of the 10 x 10 area at the page's top left.
    expect(r.data[0 * r.width + 0]).toBe(0);
    expect(r.data[0 * r.width + 7]).toBe(255);
    expect(r.data[7 * r.width + 7]).toBe(0);
    expect(r.data[15 * r.width + 15]).toBe(255);
  });
});

describe('OCR line sizes', () => {
  it('gives lines of one style one size, and keeps different styles apart', () => {
    const snap = sizeClasses([10.9, 11.2, 11.0, 11.4, 15.1, 14.8, 20]);
    expect(new Set([10.9, 11.2, 11.0, 11.4].map(snap)).size).toBe(1);
    expect(snap(14.8)).toBe(snap(15.1));
    expect(snap(15.1)).not.toBe(snap(11));
    expect(snap(20)).toBe(20);
  });
});

describe('time for OCR', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  it('moves the deadline when the work says OCR is coming, and still stops it after that', async () => {
    await expect(withTimeout(async (_s, extend) => (extend(400), await sleep(250), 'done'), 100)).resolves.toBe('done');
    await expect(withTimeout(async (_s, extend) => (extend(100), await sleep(600), 'done'), 100)).rejects.toMatchObject({ code: 'input/timeout' });
  });
  it('allows 10 s a page, 600 s at most', () => {
    expect(ocrAllowanceMs(3)).toBe(30_000);
    expect(ocrAllowanceMs(1000)).toBe(600_000);
  });
});
