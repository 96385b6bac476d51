// npm run bench:pdf — rectrace's PDF extraction (all pages, tables found)
// against poppler's `pdftotext -bbox-layout` on the same files in the same
// run: pages per second for both, the ratio, and peak RSS.
// Usage: tsx bench/pdf.ts [--rounds N] [dir ...]   (default: the ICDAR 2013 set and the peer PDFs)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPdf } from '../src/parse/pdf/index.js';

const args = process.argv.slice(2);

// Child mode for the memory-scaling part: read one file, report peak RSS.
const childAt = args.indexOf('--memory-child');
if (childAt >= 0) {
  const doc = (await readPdf(new Uint8Array(readFileSync(args[childAt + 1])))).value;
  console.log(JSON.stringify({ pages: doc.pages, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

const roundsArg = args.indexOf('--rounds');
const rounds = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 1;
const dirs = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
const corpus = join(import.meta.dirname, '../../shared/corpus');
const roots = dirs.length ? dirs : [join(corpus, 'icdar2013'), join(corpus, 'pdf-peers')];

function pdfsUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...pdfsUnder(p));
    else if (e.toLowerCase().endsWith('.pdf')) out.push(p);
  }
  return out.sort();
}

const files = roots.flatMap(pdfsUnder);
let peakRss = process.memoryUsage().rss;
const sample = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 20);

// Warm up pdf.js (module and fake-worker start-up is paid once per process).
await readPdf(new Uint8Array(readFileSync(files[0]))).catch(() => undefined);

let pages = 0;
let tables = 0;
let failed = 0;
let oursMs = 0;
let popplerMs = 0;
const perFile: { file: string; pages: number; ours: number; poppler: number }[] = [];
for (let r = 0; r < rounds; r++) {
  for (const f of files) {
    const bytes = new Uint8Array(readFileSync(f));
    let t = performance.now();
    let n = 0;
    try {
      const doc = (await readPdf(bytes)).value;
      n = doc.pages ?? 0;
      tables += doc.blocks.filter((b) => b.type === 'table').length;
    } catch {
      failed++;
    }
    const ours = performance.now() - t;
    sample();
    t = performance.now();
    try {
      execFileSync('pdftotext', ['-bbox-layout', f, '/dev/null'], { stdio: 'ignore' });
    } catch {
      // poppler may reject what pdf.js reads; the time still counts
    }
    const poppler = performance.now() - t;
    oursMs += ours;
    popplerMs += poppler;
    pages += n;
    if (r === 0) perFile.push({ file: f.slice(corpus.length + 1), pages: n, ours, poppler });
  }
}
clearInterval(timer);
sample();

const slow = [...perFile].sort((a, b) => b.ours / Math.max(1, b.pages) - a.ours / Math.max(1, a.pages)).slice(0, 5);
console.log(`files ${files.length} x ${rounds} round(s), pages ${pages}, tables found ${tables}, unreadable ${failed}`);
console.log(`rectrace readPdf        ${(oursMs / 1000).toFixed(2)} s  ${(pages / (oursMs / 1000)).toFixed(1)} pages/s`);
console.log(`pdftotext -bbox-layout  ${(popplerMs / 1000).toFixed(2)} s  ${(pages / (popplerMs / 1000)).toFixed(1)} pages/s (process per file)`);
console.log(`ratio (rectrace / pdftotext time) ${(oursMs / popplerMs).toFixed(2)}x   (goal <= 4x)`);
console.log(`peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
console.log('slowest per page:');
for (const s of slow) console.log(`  ${s.file}  ${s.pages} p  ${(s.ours / Math.max(1, s.pages)).toFixed(0)} ms/page (pdftotext ${(s.poppler / Math.max(1, s.pages)).toFixed(0)} ms/page)`);

// Memory against length: the same 3-page report repeated into a long one, each
// read in a fresh process. What grows per page is the extracted text and rules
// kept for stitching tables across pages; pdf.js page objects are released.
{
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { spawnSync } = await import('node:child_process');
  const seed = join(import.meta.dirname, '../fixtures/pdf/seed-2022-ruled.pdf');
  const dir = mkdtempSync(join(tmpdir(), 'rectrace-bench-pdfmem-'));
  try {
    const rows: { pages: number; mb: number }[] = [];
    for (const copies of [1, 10, 40]) {
      const file = join(dir, `x${copies}.pdf`);
      execFileSync('qpdf', ['--empty', '--pages', ...Array(copies).fill(seed), '--', file]);
      const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--memory-child', file], { encoding: 'utf8' });
      const res = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { pages: number; maxRssMb: number };
      rows.push({ pages: res.pages, mb: res.maxRssMb });
    }
    const [first, , last] = rows;
    console.log(`memory: peak RSS ${rows.map((r) => `${r.pages} pages ${r.mb.toFixed(0)} MiB`).join(', ')}; ${(((last.mb - first.mb) * 1024) / (last.pages - first.pages)).toFixed(0)} KiB per extra page`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
