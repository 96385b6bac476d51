// npm run bench:docx — time readDocx on a generated ~100-page Word report (a
// long auto-numbered recommendation table plus prose) and report peak memory.
// The report is generated in this process; it is read in a child process so
// that the peak RSS measures reading alone. After a warm-up of each, readDocx and
// the anchor (mammoth.extractRawText) run in interleaved pairs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WORDS = (
  'the board should review progress against each recommendation and publish the findings so that families ' +
  'schools and health partners can see what has changed since the last report including the timeliness of plans'
).split(' ');

function sentence(seed: number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]);
  const s = out.join(' ');
  return s[0].toUpperCase() + s.slice(1) + '.';
}

async function generate(file: string, recs: number, sections: number): Promise<number> {
  const d = await import('docx');
  const { Document, Packer, Paragraph, Table, TableRow, TableCell, TextRun, HeadingLevel, LevelFormat } = d;
  const cell = (text: string) => new TableCell({ children: [new Paragraph({ children: [new TextRun(text)] })] });
  let words = 0;
  const prose: (InstanceType<typeof Paragraph> | InstanceType<typeof Table>)[] = [];
  for (let s = 0; s < sections; s++) {
    prose.push(new Paragraph({ text: `Section ${s + 1}`, heading: HeadingLevel.HEADING_2 }));
    for (let p = 0; p < 8; p++) {
      const text = [sentence(s * 31 + p, 22), sentence(s * 17 + p, 25), sentence(s + p, 28)].join(' ');
      words += text.split(' ').length;
      prose.push(new Paragraph({ children: [new TextRun(text)] }));
    }
  }
  const rows = [
    new TableRow({ tableHeader: true, children: ['No.', 'Recommendation', 'Owner', 'Update', 'Status'].map(cell) }),
  ];
  for (let r = 0; r < recs; r++) {
    const rec = sentence(r, 35);
    const update = sentence(r * 3, 30);
    words += rec.split(' ').length + update.split(' ').length + 4;
    rows.push(
      new TableRow({
        children: [
          new TableCell({ children: [new Paragraph({ children: [], numbering: { reference: 'recs', level: 0 } })] }),
          cell(rec),
          cell('Director of Children and Families'),
          cell(update),
          cell(['Complete', 'In progress', 'Not started'][r % 3]),
        ],
      }),
    );
  }
  const doc = new Document({
    numbering: {
      config: [{ reference: 'recs', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', start: 1 }] }],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Generated progress report', heading: HeadingLevel.HEADING_1 }),
          ...prose.slice(0, prose.length / 2),
          new Paragraph({ text: 'Recommendations', heading: HeadingLevel.HEADING_2 }),
          new Table({ rows }),
          ...prose.slice(prose.length / 2),
        ],
      },
    ],
  });
  writeFileSync(file, await Packer.toBuffer(doc));
  return words;
}

const ROUNDS = 7;

async function readOnce(file: string): Promise<void> {
  const { readDocx, inspectZip } = await import('../src/parse/docx/index.js');
  const bytes = new Uint8Array(readFileSync(file));
  const docXml = inspectZip(bytes).find((e) => e.name === 'word/document.xml')?.originalSize ?? 0;
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const { extractRawTextAnchor } = await import('../src/parse/docx/load.js');
  let summary = '';
  const read = async (): Promise<number> => {
    const t0 = performance.now();
    const r = await readDocx(bytes);
    const ms = performance.now() - t0;
    const tables = r.value.blocks.filter((b) => b.type === 'table');
    const rows = tables.reduce((n, t) => n + (t.type === 'table' ? t.rows.length : 0), 0);
    const labelled = tables.flatMap((t) => (t.type === 'table' ? t.rows : [])).filter((row) => row.cells[0]?.numberLabel).length;
    summary = `word/document.xml ${(docXml / 1024 / 1024).toFixed(1)} MB; ${r.value.blocks.length} blocks, ${tables.length} table(s), ${rows} rows, ${labelled} numbered rows`;
    return ms;
  };
  // Anchor in the same process and run: mammoth's raw text extraction of the same bytes.
  const anchorOnce = async (): Promise<number> => {
    const t0 = performance.now();
    await extractRawTextAnchor(bytes);
    return performance.now() - t0;
  };
  // A warm-up of each (the first run compiles mammoth's code for both), then pairs,
  // interleaved with the order flipping, so load on the machine hits both alike.
  await read();
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  await anchorOnce();
  const times: number[] = [];
  const anchor: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (i % 2 === 0) {
      times.push(await read());
      anchor.push(await anchorOnce());
    } else {
      anchor.push(await anchorOnce());
      times.push(await read());
    }
  }
  const median = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
  console.log(
    JSON.stringify({ ms: times.map((t) => Math.round(t)), medianMs: median(times), anchorMs: median(anchor), pairRatio: [...times.map((t, i) => t / anchor[i])].sort((a, b) => a - b)[Math.floor(times.length / 2)], peakRssMb: Math.round(maxRssMb), baseRssMb: Math.round(baseRssMb), summary }),
  );
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--read');
  if (at >= 0) return readOnce(process.argv[at + 1]);
  const dir = mkdtempSync(join(tmpdir(), 'rectrace-bench-docx-'));
  const file = join(dir, 'report.docx');
  try {
    const recs = 300;
    const words = await generate(file, recs, 60);
    const size = readFileSync(file).length;
    console.log(`generated: ${recs} recommendations, ${words} words (~${Math.round(words / 500)} pages at 500 words/page), ${(size / 1024).toFixed(0)} KB`);
    const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--read', file], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    const res = JSON.parse(child.stdout.trim().split('\n').pop()!);
    console.log(`readDocx: ${res.medianMs} ms median of ${ROUNDS} runs (${res.ms.join(', ')} ms); peak RSS ${res.peakRssMb} MB (child process reading only; ${res.baseRssMb} MB before the first read)`);
    console.log(`anchor mammoth.extractRawText: ${res.anchorMs} ms median of ${ROUNDS}, interleaved; ratio readDocx/anchor ${(res.medianMs / res.anchorMs).toFixed(2)}x (median of per-pair ratios ${res.pairRatio.toFixed(2)}x)`);
    console.log(`model: ${res.summary}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
