// Scores every fixture with a gold file: item precision/recall, exact text,
// exact columns. Prints one line per fixture and one summary line.
import path from 'node:path';
import { extractFile } from '../src/pipeline.js';
import { loadGoldCases } from '../src/evaluate/fixtures.js';
import { scoreAgainstGold } from '../src/evaluate/gold.js';

const cases = loadGoldCases();
const verbose = process.argv.includes('--verbose');
let items = 0;
let gold = 0;
let predicted = 0;
let matched = 0;
let text = 0;
let columns = 0;
let perfect = 0;
for (const c of cases) {
  let line: string;
  try {
    const doc = await extractFile(path.join('fixtures', c.fixture));
    const s = scoreAgainstGold(doc, c.gold);
    const methodOk = !c.method || doc.tables.some((t) => t.holdsRecommendations && t.method === c.method) || doc.tables.length === 0;
    gold += s.gold;
    predicted += s.predicted;
    matched += s.matched;
    text += s.exactText * s.gold;
    columns += s.exactColumns * s.gold;
    const ok = s.precision === 1 && s.recall === 1 && s.exactText === 1 && s.exactColumns === 1 && s.inOrder && s.dateOk && methodOk;
    if (ok) perfect++;
    line = `${ok ? 'ok  ' : 'FAIL'} ${c.fixture.padEnd(42)} P ${s.precision.toFixed(2)} R ${s.recall.toFixed(2)} text ${s.exactText.toFixed(2)} columns ${s.exactColumns.toFixed(2)}${s.inOrder ? '' : ' order'}${s.dateOk ? '' : ' date'}${methodOk ? '' : ` method!=${c.method}`}`;
    if (verbose || !ok) line += s.problems.slice(0, verbose ? 50 : 3).map((p) => `\n       ${p}`).join('');
  } catch (err) {
    line = `FAIL ${c.fixture.padEnd(42)} ${(err as Error).message}`;
  }
  items++;
  console.log(line);
}
// Precision where there is nothing to find: the shared corpus holds real reports
// with tables but no recommendations, so every recommendation found there is false.
const { expandInputs } = await import('../src/pipeline.js');
const corpusFiles = (await expandInputs([path.join(import.meta.dirname, '../../shared/corpus')])).filter((f) => /\.(pdf|docx)$/i.test(f));
let falsePositives = 0;
let withAny = 0;
for (const file of corpusFiles) {
  try {
    const doc = await extractFile(file);
    if (doc.recommendations.length) {
      withAny++;
      falsePositives += doc.recommendations.length;
      console.log(`false positives: ${doc.recommendations.length} in ${path.relative(process.cwd(), file)}`);
    }
  } catch {
    // unreadable corpus files are the batch runner's concern
  }
}
const f = (n: number) => n.toFixed(3);
console.log(
  `extract: ${perfect}/${items} fixtures exact; items P ${f(predicted ? matched / predicted : 0)} R ${f(gold ? matched / gold : 0)}; exact text ${f(gold ? text / gold : 0)}; exact columns ${f(gold ? columns / gold : 0)}; corpus without recommendations: ${falsePositives} found in ${withAny} of ${corpusFiles.length} documents`,
);
