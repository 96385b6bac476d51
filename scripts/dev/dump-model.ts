// Developer aid: print a document's model blocks (type, page, heading level, label, text start).
// usage: npx tsx scripts/dev/dump-model.ts FILE [maxChars]
import { readFile } from 'node:fs/promises';
import { sniffFormat } from '../../src/ingest/sniff.js';
import { parseDocument } from '../../src/parse/index.js';
import type { ModelBlock } from '../../src/schema.js';

const file = process.argv[2];
const max = Number(process.argv[3] ?? 110);
const bytes = new Uint8Array(await readFile(file));
const model = (await parseDocument(sniffFormat(bytes), bytes)).value;
const where = (b: { prov: Array<{ page?: number; path?: string; line?: number }> }): string => {
  const p = b.prov[0];
  return p ? String(p.page ?? p.path ?? p.line ?? '') : '';
};
function show(b: ModelBlock, indent: string): void {
  if (b.type === 'paragraph') {
    const tags = [
      b.headingLevel ? `H${b.headingLevel}` : '',
      b.numberLabel ? `#${b.numberLabel}` : '',
      b.listLevel !== undefined ? `L${b.listLevel}` : '',
      b.indent !== undefined ? `>${b.indent}` : '',
      b.box ? `[${b.box}]` : '',
      b.contents ? 'TOC' : '',
      b.emphasis ? (b.emphasis === 'bold' ? 'B' : 'I') : '',
      b.prov.length > 1 ? `+${b.prov.slice(1).map((p) => p.page).join(',')}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    console.log(`${indent}${where(b)} P ${tags} | ${b.orig.replace(/\n/g, '⏎').slice(0, max)}`);
  } else {
    console.log(`${indent}${where(b)} T ${b.method} rows=${b.rows.length}${b.box ? ` [${b.box}]` : ''}`);
    for (const r of b.rows.slice(0, 40)) console.log(`${indent}   ${r.header ? 'H' : ' '} ${r.cells.map((c) => c.orig.replace(/\n/g, '⏎').slice(0, 40)).join(' | ')}`);
  }
}
if (model.printedTitle) console.log(`TITLE ${model.printedTitle}`);
for (const b of model.blocks) show(b, '');
for (const m of model.messages.slice(0, 20)) console.log(`MSG ${m.code} ${m.reason}`);
