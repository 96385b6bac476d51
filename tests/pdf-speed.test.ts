// The PDF speed settings change timing only, never output. Each setting is
// checked against the same run without it, on the PDF fixtures and (when
// ../shared is there) the 67 ICDAR 2013 PDFs:
// - pdf.js without glyph outlines (fonts handed to a document that keeps no
//   rules) reads exactly the same pages as pdf.js's plain Node settings;
// - the CLI (bin/rectrace.js, which sets V8's interrupt budget for itself and its
//   workers) writes byte-identical documents to the CLI without that flag.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPdf } from '../src/parse/pdf/load.js';
import { checkPdfStreams } from '../src/parse/pdf/streams.js';

const root = join(import.meta.dirname, '..');
const icdar = join(root, '../shared/corpus/icdar2013');
const haveIcdar = existsSync(icdar);
const pdfsUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? pdfsUnder(join(dir, e.name)) : e.name.endsWith('.pdf') ? [join(dir, e.name)] : []))
    .sort();
const fixtures = pdfsUnder(join(root, 'fixtures'));

/**
 * The raw pages as JSON, or the error's code and message. Font ids are pdf.js's
 * names (g_d12_f3: document and font number), numbered as fonts finish loading,
 * which varies from run to run; they are renamed in order of first use.
 */
async function raw(file: string, plainSettings: boolean): Promise<string> {
  try {
    const bytes = new Uint8Array(readFileSync(file));
    // As in readPdf: a decompression bomb never reaches pdf.js (inflating it there only costs minutes).
    checkPdfStreams(bytes);
    const doc = await loadPdf(bytes, { plainSettings });
    const fonts = new Map<string, string>();
    for (const page of doc.pages) for (const item of page.items) item.font = fonts.get(item.font) ?? fonts.set(item.font, `font${fonts.size}`).get(item.font)!;
    return JSON.stringify(doc);
  } catch (err) {
    return `error ${(err as { code?: string }).code}: ${(err as Error).message}`;
  }
}

async function compareRaw(files: string[]): Promise<void> {
  let pagesWithText = 0;
  for (const file of files) {
    const fast = await raw(file, false);
    const plain = await raw(file, true);
    expect(fast, relative(root, file)).toBe(plain);
    if (!fast.startsWith('error')) pagesWithText += (JSON.parse(fast) as { pages: { items: unknown[] }[] }).pages.filter((p) => p.items.length).length;
  }
  // Guard: the comparison covered real pages with text, not a row of failures.
  expect(pagesWithText).toBeGreaterThanOrEqual(files.length / 2);
}

/**
 * Output JSON files of one extract run, by name (the manifest holds timestamps
 * and is left out). The CLI runs asynchronously: a long synchronous spawn would
 * stall the test worker's messages to vitest.
 */
async function extract(withFlag: boolean, inputs: string[]): Promise<Map<string, string>> {
  const out = mkdtempSync(join(tmpdir(), 'rectrace-speed-'));
  try {
    // Without the flag: the same CLI entry point, called from a script that sets no V8 flag.
    const plainCli = join(out, 'plain-cli.mjs');
    writeFileSync(plainCli, `const { main } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist/cli.js')).href)});\nprocess.exitCode = await main(process.argv.slice(2));\n`);
    const argv = [withFlag ? join(root, 'bin/rectrace.js') : plainCli, 'extract', ...inputs, '--out', join(out, 'docs'), '--quiet'];
    // Exit code 1 (some inputs unreadable, as in fixtures/bad) is expected; 2 (usage) or a crash is not.
    const { code, stderr } = await promisify(execFile)(process.execPath, argv, { maxBuffer: 1 << 24 }).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (err: { code?: number; stderr?: string }) => ({ code: err.code, stderr: err.stderr ?? '' }),
    );
    expect([0, 1], stderr).toContain(code);
    expect(stderr).not.toMatch(/internal\/error/);
    const dir = join(out, 'docs');
    const files = readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'manifest.json');
    return new Map(files.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function compareCli(inputs: string[]): Promise<void> {
  const [fast, plain] = [await extract(true, inputs), await extract(false, inputs)];
  expect([...fast.keys()].sort()).toEqual([...plain.keys()].sort());
  for (const [name, json] of fast) expect(json, name).toBe(plain.get(name));
  expect(fast.size).toBeGreaterThan(0);
}

describe('PDF speed settings change nothing', () => {
  it('has PDF fixtures, including unreadable ones', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    expect(fixtures.some((f) => f.includes('/bad/'))).toBe(true);
  });

  it('pdf.js without glyph outlines reads the fixtures exactly as with them', { timeout: 120_000 }, async () => {
    await compareRaw(fixtures);
  });

  it('the CLI writes the same fixtures output with and without the V8 flag', { timeout: 180_000 }, async () => {
    await compareCli(fixtures);
  });

  it.skipIf(!haveIcdar)('pdf.js without glyph outlines reads the 67 ICDAR PDFs exactly as with them', { timeout: 600_000 }, async () => {
    const files = pdfsUnder(icdar);
    expect(files.length).toBe(67);
    await compareRaw(files);
  });

  it.skipIf(!haveIcdar)('the CLI writes the same ICDAR output with and without the V8 flag', { timeout: 600_000 }, async () => {
    await compareCli(pdfsUnder(icdar));
  });
});
