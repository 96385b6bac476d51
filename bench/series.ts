// Series on every built-in fixture plus the generation pairs: which documents
// are grouped, against the truth (the seed pair and each fixtures/generations
// pair are series; nothing else is), and how long grouping takes.
import { expandInputs, extractFile } from '../src/pipeline.js';
import { groupSeries } from '../src/match/series.js';
import type { DocumentJson } from '../src/schema.js';

const files = await expandInputs(['fixtures/seeds', 'fixtures/docx', 'fixtures/pdf', 'fixtures/html', 'fixtures/generations']);
const docs: DocumentJson[] = [];
for (const f of files) {
  try {
    docs.push(await extractFile(f));
  } catch {
    // unreadable fixtures are not this bench's business
  }
}
const t0 = performance.now();
const { seriesSet } = groupSeries(docs);
const ms = performance.now() - t0;
const truth = (p: string) => (/fixtures\/generations\/([^/]+)\//.exec(p)?.[1] ?? (/seed|000_|004_/.test(p) ? 'seed' : undefined));
let right = 0;
for (const s of seriesSet.series) {
  const groups = new Set(s.documents.map((d) => truth(d.path)));
  const ok = groups.size === 1 && !groups.has(undefined);
  if (ok) right++;
  console.log(`${ok ? 'ok   ' : 'WRONG'} ${s.id}: ${s.documents.map((d) => `${d.path} (${d.date ?? 'undated'})`).join(' -> ')}`);
  for (const e of s.evidence) console.log(`        ${e.reason}`);
}
const expected = new Set(docs.map((d) => truth(d.source.path)).filter(Boolean)).size;
const missed = [...new Set(seriesSet.standalone.map((d) => truth(d.path)).filter(Boolean))];
console.log(`\n${docs.length} documents, ${seriesSet.standalone.length + seriesSet.series.reduce((n, s) => n + s.documents.length, 0)} after copies; ` +
  `series right ${right}/${seriesSet.series.length}, expected ${expected}; true series missed: ${missed.length ? missed.join(', ') : 'none'}; grouping ${(ms / 1000).toFixed(1)} s`);
