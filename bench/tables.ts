// npm run bench:tables — rectrace's PDF tables against the ICDAR 2013 table
// competition ground truth (detection + structure together, the official
// adjacency-relation rule), and against peer tools' accepted outputs.
// Usage: tsx bench/tables.ts [--quiet] [name-filter]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPdf } from '../src/parse/pdf/index.js';
import type { DocModel } from '../src/schema.js';
import {
  aggregate,
  detectionCounts,
  fromDocModel,
  normText,
  parseRegionXml,
  parseStructureXml,
  prf,
  scoreDocument,
  type DocScore,
  type IcdarTable,
} from './icdar-score.js';

const corpus = join(import.meta.dirname, '../../shared/corpus');
const icdar = join(corpus, 'icdar2013');
const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const filter = args.find((a) => !a.startsWith('--'));
const f3 = (n: number): string => n.toFixed(3);

async function read(path: string): Promise<DocModel | undefined> {
  try {
    return (await readPdf(new Uint8Array(readFileSync(path)))).value;
  } catch (err) {
    console.log(`  ${path}: ${(err as Error).message}`);
    return undefined;
  }
}

function tableBoxes(doc: DocModel): { page: number; box: [number, number, number, number] }[] {
  const out: { page: number; box: [number, number, number, number] }[] = [];
  for (const b of doc.blocks) {
    if (b.type !== 'table') continue;
    for (const p of b.prov) if (p.page && p.bbox) out.push({ page: p.page, box: p.bbox });
  }
  return out;
}

async function benchIcdar(): Promise<void> {
  const pdfs = readdirSync(icdar)
    .filter((f) => f.endsWith('.pdf') && (!filter || f.includes(filter)))
    .sort();
  const scores: DocScore[] = [];
  const det = { correct: 0, detected: 0, truth: 0 };
  const detPerDoc: { p: number; r: number }[] = [];
  console.log('ICDAR 2013 competition set (detection + structure; official relation rule)');
  console.log('file          tables gt/det/paired  det P/R      rel P     rel R     rel F1');
  for (const f of pdfs) {
    const stem = f.replace(/\.pdf$/, '');
    const doc = await read(join(icdar, f));
    const detected: IcdarTable[] = doc ? fromDocModel(doc) : [];
    // a/b ground-truth variants: keep the better F1.
    const variants = /a$/.test(stem) ? [stem, stem.replace(/a$/, 'b')] : [stem];
    let best: DocScore | undefined;
    let bestVariant = stem;
    for (const v of variants) {
      const strPath = join(icdar, `${v}-str.xml`);
      if (!existsSync(strPath)) continue;
      const s = scoreDocument(detected, parseStructureXml(readFileSync(strPath, 'utf8')));
      if (!best || prf(s).f > prf(best).f) {
        best = s;
        bestVariant = v;
      }
    }
    if (!best) continue;
    scores.push(best);
    const regs = parseRegionXml(readFileSync(join(icdar, `${bestVariant}-reg.xml`), 'utf8'));
    // One region per ground-truth table (us-035 table 2 has three side-by-side regions: use their union).
    const gtTables = mergeRegions(bestVariant);
    const d = detectionCounts(doc ? tableBoxes(doc) : [], gtTables.length ? gtTables : regs);
    det.correct += d.correct;
    det.detected += d.detected;
    det.truth += d.truth;
    detPerDoc.push({ p: d.detected ? d.correct / d.detected : 0, r: d.truth ? d.correct / d.truth : 0 });
    const s = prf(best);
    if (!quiet)
      console.log(
        `${stem.padEnd(13)} ${`${best.gtTables}/${best.detTables}/${best.paired}`.padEnd(20)} ${`${d.correct}/${d.detected} ${d.correct}/${d.truth}`.padEnd(12)} ${f3(s.p)}     ${f3(s.r)}     ${f3(s.f)}`,
      );
  }
  const agg = aggregate(scores);
  const dp = detPerDoc.reduce((t, x) => t + x.p, 0) / (detPerDoc.length || 1);
  const dr = detPerDoc.reduce((t, x) => t + x.r, 0) / (detPerDoc.length || 1);
  console.log(`\nICDAR 2013, ${scores.length} documents`);
  console.log(`  table detection   pooled P ${f3(det.detected ? det.correct / det.detected : 0)} R ${f3(det.correct / (det.truth || 1))}; per-document P ${f3(dp)} R ${f3(dr)}`);
  console.log(`  relations per-document  P ${f3(agg.perDoc.p)} R ${f3(agg.perDoc.r)} F1 ${f3(agg.perDoc.f)}   (TAB.IAIS 0.859; target >= 0.86)`);
  console.log(`  relations pooled        P ${f3(agg.pooled.p)} R ${f3(agg.pooled.r)} F1 ${f3(agg.pooled.f)}   (TAB.IAIS 0.920; target >= 0.92)`);
}

function mergeRegions(stem: string): { page: number; box: [number, number, number, number] }[] {
  const xml = readFileSync(join(icdar, `${stem}-reg.xml`), 'utf8');
  const out: { page: number; box: [number, number, number, number] }[] = [];
  const re = /<table\b[^>]*>([\s\S]*?)<\/table>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const regs = parseRegionXml(m[1]);
    const byPage = new Map<number, [number, number, number, number]>();
    for (const r of regs) {
      const b = byPage.get(r.page);
      byPage.set(r.page, b ? [Math.min(b[0], r.box[0]), Math.min(b[1], r.box[1]), Math.max(b[2], r.box[2]), Math.max(b[3], r.box[3])] : r.box);
    }
    for (const [page, box] of byPage) out.push({ page, box });
  }
  return out;
}

/** Peer tools' accepted outputs (camelot, tabula-java): relation F1 against the best-matching detected table, and cell-text recall. */
async function benchPeers(): Promise<void> {
  const cases: { name: string; pdf: string; page: number; rows: string[][] }[] = [];
  const camelot = join(corpus, 'pdf-peers/camelot');
  for (const f of readdirSync(camelot).filter((f) => f.endsWith('.expected.json'))) {
    const spec = JSON.parse(readFileSync(join(camelot, f), 'utf8')) as {
      pdf: string;
      cases: { camelot_call: Record<string, unknown>; table_index: number; rows: string[][] }[];
    };
    const seen = new Set<number>();
    for (const c of spec.cases) {
      const call = c.camelot_call;
      if (call.table_areas || call.table_regions || seen.has(c.table_index)) continue;
      seen.add(c.table_index);
      const pdf = spec.pdf.startsWith('icdar') || !existsSync(join(camelot, spec.pdf)) ? join(icdar, 'us-030.pdf') : join(camelot, spec.pdf);
      const page = typeof call.pages === 'string' ? Number(call.pages) : 1;
      cases.push({ name: `camelot/${f.replace('.expected.json', '')}#${c.table_index}`, pdf, page, rows: c.rows });
    }
  }
  const tabula = join(corpus, 'pdf-peers/tabula-java');
  const spec = JSON.parse(readFileSync(join(tabula, 'cases.json'), 'utf8')) as {
    cases: { pdf: string; page: number; area: unknown; expected: string[] }[];
  };
  const done = new Set<string>();
  for (const c of spec.cases) {
    const csv = c.expected.find((e) => e.endsWith('.csv'));
    if (!csv || c.area || done.has(csv)) continue;
    done.add(csv);
    cases.push({ name: `tabula/${csv.replace('.expected.csv', '')}`, pdf: join(tabula, c.pdf), page: c.page, rows: parseCsv(readFileSync(join(tabula, csv), 'utf8')) });
  }
  console.log('\nPeer PDFs (expected = that tool\'s accepted output; relation F1 vs best detected table on the page, cell-text recall)');
  const cache = new Map<string, DocModel | undefined>();
  let sumF = 0;
  let sumRecall = 0;
  for (const c of cases.sort((a, b) => a.name.localeCompare(b.name))) {
    if (filter && !c.name.includes(filter)) continue;
    if (!cache.has(c.pdf)) cache.set(c.pdf, await read(c.pdf));
    const doc = cache.get(c.pdf);
    const expected: IcdarTable = { id: 'e', page: c.page, cells: [] };
    c.rows.forEach((row, r) => row.forEach((t, col) => normText(t) && expected.cells.push({ page: c.page, r0: r, c0: col, r1: r, c1: col, text: t })));
    const detected = doc ? fromDocModel(doc).filter((t) => t.page === c.page) : [];
    let bestF = 0;
    for (const t of detected) bestF = Math.max(bestF, prf(scoreDocument([t], [expected])).f);
    const have = new Set(detected.flatMap((t) => t.cells.map((x) => normText(x.text))));
    const want = expected.cells.map((x) => normText(x.text));
    const recall = want.length ? want.filter((w) => have.has(w)).length / want.length : 0;
    sumF += bestF;
    sumRecall += recall;
    if (!quiet) console.log(`  ${c.name.padEnd(58)} F1 ${f3(bestF)}  cells ${f3(recall)}  (${detected.length} table(s) on p${c.page})`);
  }
  const n = cases.filter((c) => !filter || c.name.includes(filter)).length || 1;
  console.log(`  peers: mean relation F1 ${f3(sumF / n)}, mean cell recall ${f3(sumRecall / n)} over ${n} expected tables`);
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

await benchIcdar();
if (!filter || !/^(eu|us)-/.test(filter)) await benchPeers();
