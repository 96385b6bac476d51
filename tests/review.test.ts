// `rectrace review`: the server's guards (always), and the page in a real
// headless Chromium driven by playwright-core (skipped, with one line, where
// no browser can be had). Screenshots for the README are written to docs/
// when RECTRACE_SCREENSHOTS=1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startReview, type ReviewServer } from '../src/review/server.js';
import { DocumentJson, Lineage, Manifest, Overrides } from '../src/schema.js';

const CHROMIUM = process.env.RECTRACE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SEED = ['fixtures/pdf/seed-2022-ruled.pdf', 'fixtures/pdf/seed-2023-ruled.pdf', 'fixtures/docx/seed-2023.docx', 'fixtures/docx/seed-2022-recnumbering.docx'];

const cli = (args: string[]) => spawnSync(process.execPath, ['bin/rectrace.js', ...args], { encoding: 'utf8', timeout: 180_000 });
const out = mkdtempSync(path.join(tmpdir(), 'rectrace-review-'));
const overridesFile = path.join(out, 'overrides.json');
let server: ReviewServer;
let edited = '';

const readJson = (name: string) => JSON.parse(readFileSync(path.join(out, name), 'utf8'));
const manifest = () => Manifest.parse(readJson('manifest.json'));
const docAt = (i: number) => DocumentJson.parse(readJson(manifest().documents[i].output!));

/** A raw request (no URL normalisation), so `..` reaches the server as sent. */
function raw(pathname: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path: pathname, method, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  const r = cli(['run', ...SEED, '--out', out, '--concurrency', '1', '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  server = await startReview({ outDir: out, by: 'tester' });
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('what the crop needs', () => {
  it('a PDF JSON carries each page size and rotation (source.pageSizes); other formats none', () => {
    expect(docAt(0).source.pageSizes).toEqual([1, 2, 3, 4].map((page) => ({ page, width: 595.3, height: 841.89, rotation: 0 })));
    expect(docAt(1).source.pageSizes).toEqual([1, 2].map((page) => ({ page, width: 841.89, height: 595.3, rotation: 0 })));
    expect(docAt(2).source.pageSizes).toBeUndefined();
  });
});

describe('review server guards', () => {
  it('listens on 127.0.0.1 only, with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/[A-Za-z0-9_-]{32}/$`));
  });

  it('refuses a request without the token, with a wrong token or with a foreign Host', async () => {
    expect((await raw('/')).status).toBe(403);
    expect((await raw('/api/state')).status).toBe(403);
    expect((await raw(`/${'x'.repeat(server.token.length)}/api/state`)).status).toBe(403);
    expect((await raw(`/${server.token}/api/state`, { host: 'evil.example:80' })).status).toBe(403);
    const ok = await raw(`/${server.token}/api/state`);
    expect(ok.status).toBe(200);
    expect(String(ok.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(String(ok.headers['content-security-policy'])).toContain("connect-src 'self'");
  });

  it('serves the files the manifest names, and nothing else', async () => {
    const t = `/${server.token}`;
    const m = manifest();
    expect((await raw(`${t}/file/${m.documents[0].output}`)).status).toBe(200);
    expect((await raw(`${t}/file/source/0`)).status).toBe(200);
    for (const p of ['/file/../package.json', '/file/..%2F..%2Fpackage.json', '/file/%2Fetc%2Fpasswd', '/file/source/9', '/file/overrides.json', '/../package.json', '/assets/../server.ts', '/assets/app.ts']) {
      expect((await raw(t + p)).status, p).toBe(404);
    }
  });

  it('`rectrace review OUT_DIR` prints its address and serves it; a folder without a manifest is a usage error', async () => {
    const child = spawn(process.execPath, ['bin/rectrace.js', 'review', out, '--by', 'cli'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (c) => {
          text += c;
          const m = /rectrace review: (http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\/)\n/.exec(text);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const res = await fetch(`${url}api/state`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { by: string }).by).toBe('cli');
      expect((await fetch(url.replace(/\/[^/]+\/$/, '/api/state'))).status).toBe(403);
    } finally {
      child.kill();
    }
    const bad = cli(['review', mkdtempSync(path.join(tmpdir(), 'rectrace-empty-'))]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^rectrace: cannot review .*manifest\.json/);
  });

  it('serves a source only as the run read it: changed is 409, gone is 404', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rectrace-src-'));
    const src = path.join(dir, 'older.txt');
    copyFileSync('fixtures/generations/progress-update/older.txt', src);
    expect(cli(['extract', src, '--out', path.join(dir, 'out'), '--quiet']).status).toBe(0);
    const other = await startReview({ outDir: path.join(dir, 'out') });
    try {
      const get = () => fetch(`${other.url}file/source/0`).then((r) => r.status);
      expect(await get()).toBe(200);
      appendFileSync(src, 'changed\n');
      expect(await get()).toBe(409);
      rmSync(src);
      expect(await get()).toBe(404);
    } finally {
      await other.close();
    }
  });

  it('groups generations by series.json when `run` wrote one, else by lineage.json', async () => {
    type Gens = { series: Array<{ id: string; documents: Array<{ id: string }>; linkSets: unknown[]; threads: unknown[] }> };
    const gens = async () => ((await (await fetch(`${server.url}api/generations`)).json()) as Gens).series;
    const file = path.join(out, 'series.json');
    const written = readFileSync(file, 'utf8');
    // `run` wrote series.json: the seed pair is one series with one link set.
    const fromRun = await gens();
    expect(fromRun.map((s) => [s.documents.map((d) => d.id), s.linkSets.length])).toContainEqual([[docAt(0).source.id, docAt(1).source.id], 1]);
    rmSync(file);
    try {
      const fallback = await gens();
      expect(fallback.map((s) => [s.id, s.documents.map((d) => d.id), s.linkSets.length])).toEqual([['lineage', [docAt(0).source.id, docAt(1).source.id], 1]]);
      expect(fallback[0].threads.length).toBe(Lineage.parse(readJson('lineage.json')).threads.length);
    } finally {
      writeFileSync(file, written);
    }
    writeFileSync(file, JSON.stringify({ series: [{ id: 'send', documents: [docAt(0).source.id, { path: SEED[1] }], why: 'test' }, { id: 'alone', documents: [docAt(2).source.sha256] }] }));
    try {
      const series = await gens();
      expect(series.map((s) => [s.id, s.documents.length, s.linkSets.length])).toEqual([
        ['send', 2, 1],
        ['alone', 1, 0],
      ]);
      expect((await raw(`/${server.token}/file/series.json`)).status).toBe(200);
    } finally {
      writeFileSync(file, written);
    }
  });

  it('writes concurrent decisions one after another, none lost, the file always whole', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rectrace-ovr-')), 'decisions.json');
    const other = await startReview({ outDir: out, overridesFile: file, by: 'many' });
    try {
      const recs = docAt(0).recommendations.slice(0, 8);
      const statuses = await Promise.all(
        recs.map((r) =>
          fetch(`${other.url}api/decision`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ kind: 'correction', documentIndex: 0, correction: { action: 'confirm', recommendation: r.id } }),
          }).then((res) => res.status),
        ),
      );
      expect(statuses).toEqual(recs.map(() => 200));
      const saved = Overrides.parse(JSON.parse(readFileSync(file, 'utf8')));
      expect(saved.corrections!.map((c) => c.action === 'confirm' && c.recommendation).sort()).toEqual(recs.map((r) => r.id).sort());
      expect(new Set(saved.corrections!.map((c) => c.id)).size).toBe(8);
      expect(saved.corrections!.every((c) => c.by === 'many' && c.document === docAt(0).source.sha256 && c.source === SEED[0])).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('takes only valid decisions, as JSON', async () => {
    const t = `/${server.token}/api/decision`;
    expect((await raw(t, { 'content-type': 'text/plain' }, 'POST', '{}')).status).toBe(415);
    expect((await raw(t, { 'content-type': 'application/json' }, 'POST', JSON.stringify({ kind: 'correction', documentIndex: 0, correction: { action: 'rename' } }))).status).toBe(400);
    expect((await raw(t, { 'content-type': 'application/json', origin: 'http://evil.example' }, 'POST', '{}')).status).toBe(403);
    expect(existsSync(overridesFile)).toBe(false);
  });
});

// ---------------------------------------------------------------------------

type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;
let browser: Browser | undefined;
let why = '';
try {
  if (!existsSync(CHROMIUM)) why = `no browser at ${CHROMIUM} (apt-get install chromium, or set RECTRACE_CHROMIUM)`;
  else {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }
} catch (err) {
  why = `chromium did not start: ${(err as Error).message.split('\n')[0]}`;
}
if (!browser) console.log(`review browser tests skipped: ${why}`);

describe.skipIf(!browser)('review page in headless Chromium', () => {
  let page: Page;
  const errors: string[] = [];
  const shots = process.env.RECTRACE_SCREENSHOTS === '1' ? 'docs' : mkdtempSync(path.join(tmpdir(), 'rectrace-shots-'));
  mkdirSync(shots, { recursive: true });

  beforeAll(async () => {
    page = await browser!.newPage({ viewport: { width: 1366, height: 820 } });
    page.on('pageerror', (e) => errors.push(e.message));
    // Nothing leaves the machine: any request to another origin fails the test.
    page.on('request', (r) => {
      if (!r.url().startsWith(`http://127.0.0.1:${server.port}/`) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) errors.push(`outside request ${r.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  const renders = () => page.evaluate(() => Number(document.body.dataset.rendered ?? 0));
  /** Does `act`, then waits until the page has finished rendering after it. */
  async function andRender(act: () => Promise<unknown>) {
    const n = await renders();
    await act();
    await page.waitForFunction((k) => Number(document.body.dataset.rendered ?? 0) > k, n);
  }
  async function openDoc(index: number, rec = 0) {
    await page.goto(server.url);
    await page.waitForFunction(() => Number(document.body.dataset.rendered ?? 0) > 0);
    await andRender(() => page.selectOption('#doc-picker', String(index)));
    for (let k = 0; k < rec; k++) await andRender(() => page.keyboard.press('j'));
    const id = docAt(index).recommendations[rec].id;
    await page.waitForSelector(`#source[data-ready="${id}"]`);
  }

  it('loads the seed run: documents, items, statuses', async () => {
    await openDoc(0);
    const options = await page.locator('#doc-picker option').allTextContents();
    expect(options).toEqual(['seed-2022-ruled.pdf (19)', 'seed-2023-ruled.pdf (10)', 'seed-2023.docx (10)', 'seed-2022-recnumbering.docx (19)']);
    expect(await page.locator('#rec-list li').count()).toBe(19);
    expect(await page.locator('#rec-text').textContent()).toBe(docAt(0).recommendations[0].text);
    await page.waitForSelector('.page-wrap .hl');
    expect(errors).toEqual([]);
  });

  it("highlights a PDF recommendation's box inside its printed row", async () => {
    // Recommendation 4 of the 2023 report (landscape), the README's example.
    await openDoc(1, 3);
    const doc = docAt(1);
    const rec = doc.recommendations[3];
    expect(rec.number).toBe('4');
    await page.waitForSelector('.page-wrap .hl');
    const [prov] = rec.prov;
    const size = doc.source.pageSizes!.find((p) => p.page === prov.page)!;
    const geometry = await page.evaluate(() => {
      const wrap = document.querySelector('.page-wrap')!;
      const canvas = wrap.querySelector('canvas')!;
      const hl = wrap.querySelector('.hl')! as HTMLElement;
      const c = canvas.getBoundingClientRect();
      const r = hl.getBoundingClientRect();
      // Dark pixels (printed text) inside the highlight, and in a strip of the top margin.
      const ctx = canvas.getContext('2d')!;
      const k = canvas.width / c.width;
      const dark = (x: number, y: number, w: number, h: number) => {
        const d = ctx.getImageData(Math.round(x * k), Math.round(y * k), Math.round(w * k), Math.round(h * k)).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] + d[i + 1] + d[i + 2] < 300) n++;
        return n;
      };
      return {
        canvas: { left: c.left, top: c.top, width: c.width, height: c.height },
        hl: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
        darkInside: dark(r.left - c.left, r.top - c.top, r.width, r.height),
        darkMargin: dark(0, 0, c.width, 8),
        bbox: hl.dataset.bbox,
      };
    });
    expect(geometry.bbox).toBe(prov.bbox!.join(','));
    // Back from screen pixels to PDF points with the page size from the JSON (bottom-left origin).
    const scale = geometry.canvas.width / size.width;
    expect(geometry.canvas.height / scale).toBeCloseTo(size.height, 0);
    const shown = [
      (geometry.hl.left - geometry.canvas.left) / scale,
      size.height - (geometry.hl.bottom - geometry.canvas.top) / scale,
      (geometry.hl.right - geometry.canvas.left) / scale,
      size.height - (geometry.hl.top - geometry.canvas.top) / scale,
    ];
    shown.forEach((v, i) => expect(Math.abs(v - prov.bbox![i]), `bbox[${i}]`).toBeLessThan(1));
    // The printed row: the table row whose cells hold this recommendation's number and text.
    const table = doc.tables.find((t) => t.id === rec.table)!;
    const row = table.rows.find((r) => r.cells.some((c) => c.text === rec.text))!;
    const rowBox = row.prov.find((p) => p.page === prov.page)!.bbox!;
    const tol = 1;
    expect(shown[0]).toBeGreaterThanOrEqual(rowBox[0] - tol);
    expect(shown[1]).toBeGreaterThanOrEqual(rowBox[1] - tol);
    expect(shown[2]).toBeLessThanOrEqual(rowBox[2] + tol);
    expect(shown[3]).toBeLessThanOrEqual(rowBox[3] + tol);
    // The box lies over printed text, not over blank paper.
    expect(geometry.darkInside).toBeGreaterThan(200);
    expect(geometry.darkMargin).toBe(0);
    await page.screenshot({ path: path.join(shots, 'review-documents.png') });
  });

  it('shows a Word item in its table, its cell highlighted', async () => {
    await openDoc(2, 3);
    const rec = docAt(2).recommendations[3];
    await page.waitForSelector('.source-table .hl-cell');
    const cells = await page.locator('.source-table .hl-cell').allTextContents();
    expect(cells).toContain(rec.text);
    expect(cells.length).toBeGreaterThanOrEqual(2);
  });

  it('reaches every printed place of a row broken across pages, with its message beside it', async () => {
    const doc = docAt(0);
    const k = doc.recommendations.findIndex((r) => r.prov.length === 2);
    const rec = doc.recommendations[k];
    expect(rec.prov.map((p) => p.page)).toEqual([1, 2]);
    await openDoc(0, k);
    await page.waitForFunction(() => document.querySelectorAll('.page-wrap .hl').length === 2);
    expect(await page.locator('.page-wrap').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.page))).toEqual(['1', '2']);
    expect(await page.locator('#detail .prov button.place').allTextContents()).toEqual(['page 1', 'page 2']);
    await page.click('#detail .prov button.place >> nth=1');
    const second = await page.locator('.hl[data-place="1"]').boundingBox();
    const pane = await page.locator('#source').boundingBox();
    expect(second!.y).toBeGreaterThanOrEqual(pane!.y - 1);
    expect(second!.y).toBeLessThan(pane!.y + pane!.height);
    expect(await page.locator('#detail .messages code').allTextContents()).toContain('pdf/row-continued');
    expect(await page.locator('#rec-list li.current .mark.msg').count()).toBe(1);
  });

  it('shows a Word paragraph in its section, and adds a missed one from picked paragraphs', async () => {
    const doc = docAt(3);
    const rec = doc.recommendations[0];
    expect(rec.table).toBeUndefined();
    await openDoc(3, 0);
    const shown = await page.locator('#source .blocks .hl-cell').allTextContents();
    expect(shown.join('\n')).toContain(rec.text.slice(0, 40));
    await andRender(() => page.keyboard.press('a'));
    const blocks = page.locator('#source .blocks .block');
    const n = await blocks.count();
    expect(n).toBeGreaterThan(20);
    await andRender(() => blocks.nth(n - 2).click());
    await andRender(() => page.locator('#source .blocks .block').nth(n - 1).click());
    expect(await page.locator('#source .blocks .picked').count()).toBe(2);
    await page.click('#pick-done');
    await page.waitForSelector('#dialog[open] input[name="number"]');
    await page.fill('#dialog input[name="number"]', '98');
    await page.click('#dialog-save');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('added 98'));
    const file = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8')));
    const add = file.corrections!.find((c) => c.action === 'add' && c.number === '98');
    expect(add?.action === 'add' && add.prov.map((p) => p.kind)).toEqual(['docx', 'docx']);
    expect(add?.action === 'add' && add.after).toBe(rec.id);
  });

  it('confirming a link writes the overrides file', async () => {
    await page.goto(server.url);
    await page.waitForFunction(() => Number(document.body.dataset.rendered ?? 0) > 0);
    await andRender(() => page.keyboard.press('g'));
    await page.waitForSelector('.link-list li.current');
    const first = await page.locator('.link-list li.current').evaluate((el) => ({ from: (el as HTMLElement).dataset.from!, to: (el as HTMLElement).dataset.to! }));
    await page.keyboard.press('c');
    await page.waitForSelector('.link-list li.current .mark.person');
    const file = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8')));
    expect(file.decisions).toHaveLength(1);
    const [d] = file.decisions;
    expect(d.action).toBe('confirm');
    expect([d.from.number, d.to.number]).toEqual([first.from, first.to]);
    expect(d.from.document).toBe(docAt(0).source.id);
    expect(d.note).toMatch(/^tester, \d{4}-\d\d-\d\dT/);
    // The evidence stays on view: a shared term and feature values.
    expect(await page.locator('.evidence th').allTextContents()).toEqual(expect.arrayContaining(['tfidf', 'context', 'semantic', 'dice']));
    await page.screenshot({ path: path.join(shots, 'review-generations.png') });
  });

  it('adds a link with n, and rejects it with r (the later decision on a pair replaces the earlier)', async () => {
    const before = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8'))).decisions.length;
    await page.keyboard.press('n');
    await page.waitForSelector('#dialog[open] input[name="from"]');
    const from = await page.inputValue('#dialog input[name="from"]');
    const to = await page.inputValue('#dialog input[name="to"]');
    expect(from).not.toBe('');
    await andRender(() => page.click('#dialog-save'));
    const item = page.locator(`.link-list li[data-from="${from}"][data-to="${to}"]`);
    expect(await item.locator('.mark.person').count()).toBe(1);
    let decisions = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8'))).decisions;
    expect(decisions.slice(before).map((d) => [d.action, d.from.number, d.to.number])).toEqual([['add', from, to]]);
    await andRender(() => item.click());
    await andRender(() => page.keyboard.press('r'));
    expect(await page.locator(`.link-list li[data-from="${from}"][data-to="${to}"]`).count()).toBe(0);
    decisions = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8'))).decisions;
    expect(decisions.slice(before).map((d) => [d.action, d.from.number, d.to.number])).toEqual([['reject', from, to]]);
  });

  it('correcting a text writes the corrections, keyed by sha256 and id, with who and when', async () => {
    await openDoc(1, 1);
    const doc = docAt(1);
    const rec = doc.recommendations[1];
    edited = rec.id;
    await page.keyboard.press('e');
    await page.waitForSelector('#dialog[open] textarea[name="text"]');
    await page.fill('#dialog textarea[name="text"]', 'A corrected text, checked by a person.');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#detail .pending li');
    const file = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8')));
    const edits = file.corrections!.filter((c) => c.action === 'edit');
    expect(edits).toHaveLength(1);
    const [c] = edits;
    expect(c).toMatchObject({ action: 'edit', document: doc.source.sha256, recommendation: rec.id, by: 'tester', set: { text: 'A corrected text, checked by a person.' }, was: { text: rec.text } });
    expect(Date.parse(c.at)).toBeGreaterThan(Date.now() - 600_000);
    expect(file.decisions.map((d) => d.action)).toEqual(['confirm', 'reject']);
  });

  it('adds a missed recommendation from a box drawn on the PDF page', async () => {
    await openDoc(1, 0);
    await page.waitForSelector('.page-wrap .hl');
    await andRender(() => page.keyboard.press('a'));
    const hl = await page.locator('.page-wrap .hl').first().boundingBox();
    // Draw over the highlighted row: the dialog proposes the text printed there.
    await page.mouse.move(hl!.x + 2, hl!.y + 2);
    await page.mouse.down();
    await page.mouse.move(hl!.x + hl!.width / 2, hl!.y + hl!.height / 2, { steps: 4 });
    await page.mouse.move(hl!.x + hl!.width - 2, hl!.y + hl!.height - 2, { steps: 4 });
    await page.mouse.up();
    await page.waitForSelector('#dialog[open] input[name="number"]');
    const proposed = await page.inputValue('#dialog textarea[name="text"]');
    expect(proposed.length).toBeGreaterThan(20);
    await page.fill('#dialog input[name="number"]', '99');
    await page.click('#dialog-save');
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.includes('added 99'));
    const file = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8')));
    const add = file.corrections!.find((c) => c.action === 'add' && c.number === '99');
    expect(add?.action === 'add' && add.prov[0].kind === 'pdf' && add.prov[0].page).toBe(1);
    const box = add?.action === 'add' ? add.prov[0].bbox! : [0, 0, 0, 0];
    const want = docAt(1).recommendations[0].prov[0].bbox!;
    box.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(6));
  });

  it('a re-run of `run` applies the confirmed link and the corrected text', async () => {
    const r = cli(['run', ...SEED, '--out', out, '--concurrency', '1', '--overrides', overridesFile]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('3 corrections applied, 0 not applied, 0 for documents not in this run');
    expect(docAt(3).recommendations[1]).toMatchObject({ number: '98', decidedBy: 'person' });
    const doc = docAt(1);
    const fixed = doc.recommendations.find((x) => x.id === edited)!;
    expect(fixed.text).toBe('A corrected text, checked by a person.');
    expect(fixed.decidedBy).toBe('person');
    expect(doc.recommendations.find((x) => x.number === '99')?.decidedBy).toBe('person');
    expect(manifest().documents[1].recommendations).toBe(11);
    const decision = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8'))).decisions[0];
    const lineage = Lineage.parse(readJson('lineage.json'));
    const step = lineage.threads.flatMap((t) => t.steps).find((s) => s.generation === 1 && s.number === decision.to.number);
    expect(step?.score).toBe(1);
    // The page says so after a reload.
    await openDoc(1, doc.recommendations.indexOf(fixed));
    expect(await page.locator('#rec-text').textContent()).toBe('A corrected text, checked by a person.');
    expect(await page.locator('#detail .decided').count()).toBe(1);
  });

  it('split (s), merge with the next (m) and drop (x) are written as corrections', async () => {
    const doc = docAt(0);
    const [a, b, c] = doc.recommendations.slice(3, 6);
    await openDoc(0, 3);
    await page.keyboard.press('s');
    await page.waitForSelector('#dialog[open] textarea[name="t2"]');
    expect(await page.inputValue('#dialog input[name="n2"]')).toBe(`${a.number}b`);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction((n) => document.getElementById('status')!.textContent!.includes(`split ${n}`), a.number);
    await andRender(() => page.keyboard.press('j'));
    await page.keyboard.press('m');
    await page.waitForSelector('#dialog[open] textarea[name="text"]');
    await page.click('#dialog-save');
    await page.waitForFunction((n) => document.getElementById('status')!.textContent!.includes(`merged ${n}`), b.number);
    await andRender(() => page.keyboard.press('j'));
    await page.keyboard.press('x');
    await page.waitForSelector('#dialog[open] input[name="note"]');
    await page.fill('#dialog input[name="note"]', 'not a recommendation');
    await page.click('#dialog-save');
    await page.waitForFunction((n) => document.getElementById('status')!.textContent!.includes(`dropped ${n}`), c.number);
    const mine = Overrides.parse(JSON.parse(readFileSync(overridesFile, 'utf8'))).corrections!.filter((x) => x.document === doc.source.sha256);
    const split = mine.find((x) => x.action === 'split');
    expect(split?.action === 'split' && [split.recommendation, split.parts.length, split.parts.map((p) => p.text).join(' ')]).toEqual([a.id, 2, a.text.replace(/\s+/g, ' ')]);
    const merge = mine.find((x) => x.action === 'merge');
    expect(merge?.action === 'merge' && merge.recommendations).toEqual([b.id, c.id]);
    const drop = mine.find((x) => x.action === 'drop');
    expect(drop?.action === 'drop' && [drop.recommendation, drop.note]).toEqual([c.id, 'not a recommendation']);
    // Pending until the next run, and shown beside the items.
    expect(await page.locator('#rec-list li .mark.pending').count()).toBeGreaterThanOrEqual(3);
  });

  it('shows markup in a recommendation as text and runs nothing', async () => {
    const name = manifest().documents[2].output!;
    const doc = docAt(2);
    const evil = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    doc.recommendations[0].text = evil;
    doc.recommendations[0].columns = { ...doc.recommendations[0].columns, owner: '<b onmouseover="window.__pwned=3">bold</b>' };
    doc.messages.push({ severity: 'warning', code: 'test/markup', reason: '<img src=y onerror="window.__pwned=4">', loc: doc.recommendations[0].prov[0] });
    writeFileSync(path.join(out, name), JSON.stringify(doc));
    await openDoc(2, 0);
    expect(await page.locator('#rec-text').textContent()).toBe(evil);
    expect(await page.locator('#rec-list li.current .snip').textContent()).toContain('<script>');
    expect(await page.locator('#detail table.columns').textContent()).toContain('<b onmouseover');
    expect(await page.locator('#detail .messages').textContent()).toContain('<img src=y');
    await page.waitForTimeout(300);
    const found = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      elements: document.querySelectorAll('#main img, #main script, #main b').length,
    }));
    expect(found).toEqual({ pwned: undefined, elements: 0 });
    expect(errors).toEqual([]);
  });

  // A page turned with /Rotate 90: the box is stored in user space, pdf.js turns it with the page.
  const qpdf = ['/usr/bin/qpdf', '/usr/local/bin/qpdf'].find((q) => existsSync(q));
  it.skipIf(!qpdf)('highlights the same recommendation on a page turned by 90 degrees (qpdf makes the copy)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rectrace-rot-'));
    const rotated = path.join(dir, 'seed-2023-rot90.pdf');
    expect(spawnSync(qpdf!, ['--rotate=+90', 'fixtures/pdf/seed-2023-ruled.pdf', rotated]).status).toBe(0);
    expect(cli(['extract', rotated, '--out', path.join(dir, 'out'), '--quiet']).status).toBe(0);
    const second = await startReview({ outDir: path.join(dir, 'out'), by: 'tester' });
    try {
      const m = Manifest.parse(JSON.parse(readFileSync(path.join(dir, 'out/manifest.json'), 'utf8')));
      const doc = DocumentJson.parse(JSON.parse(readFileSync(path.join(dir, 'out', m.documents[0].output!), 'utf8')));
      expect(doc.source.pageSizes![0]).toEqual({ page: 1, width: 841.89, height: 595.3, rotation: 90 });
      const rec = doc.recommendations[3];
      await page.goto(second.url);
      await page.waitForFunction(() => Number(document.body.dataset.rendered ?? 0) > 0);
      for (let k = 0; k < 3; k++) await andRender(() => page.keyboard.press('j'));
      await page.waitForSelector(`#source[data-ready="${rec.id}"] .hl`);
      const g = await page.evaluate(() => {
        const canvas = document.querySelector('.page-wrap canvas') as HTMLCanvasElement;
        const c = canvas.getBoundingClientRect();
        const r = document.querySelector('.page-wrap .hl')!.getBoundingClientRect();
        return { c: { left: c.left, top: c.top, width: c.width, height: c.height }, r: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } };
      });
      // Turned clockwise: the page shows portrait; user-space y runs left to right, x top to bottom.
      const s = g.c.width / 595.3;
      expect(g.c.height / s).toBeCloseTo(841.89, 0);
      const [x0, y0, x1, y1] = rec.prov[0].bbox!;
      const shown = [(g.r.top - g.c.top) / s, (g.r.left - g.c.left) / s, (g.r.bottom - g.c.top) / s, (g.r.right - g.c.left) / s];
      [x0, y0, x1, y1].forEach((v, i) => expect(Math.abs(shown[i] - v), `bbox[${i}]`).toBeLessThan(1));
    } finally {
      await second.close();
    }
  });

  it('refuses the page without the token, and a file outside the manifest', async () => {
    const bare = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(bare?.status()).toBe(403);
    const outside = await page.goto(`${server.url}file/overrides.json`);
    expect(outside?.status()).toBe(404);
  });
});
