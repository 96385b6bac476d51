import { extractFile } from '/work/main/src/pipeline.js';
import { mergeGlossaries, prepare, scorePair } from '/work/main/src/match/features.js';
import { findDefinitions } from '/work/main/src/match/glossary.js';
import { readFileSync } from 'node:fs';
const [a, b, goldPath] = process.argv.slice(2);
const A = await extractFile(a), B = await extractFile(b);
console.log(A.document.glossary, B.document.glossary);
const gold = JSON.parse(readFileSync(goldPath, 'utf8'));
const req = new Set(gold.required.map((p: string[]) => p.join('>')));
const acc = new Set(gold.acceptable.map((p: string[]) => p.join('>')));
const defs = [A, B].map(d => findDefinitions(d.recommendations.map(r => r.text).join('\n')));
const g = mergeGlossaries(...defs, A.document.glossary, B.document.glossary);
const items = [A, B].map(d => d.recommendations.map((r, i) => ({ index: i, ref: r.number, number: r.number, text: r.text })));
const [P, Q] = prepare(items, g);
const m = (p: string, q: string) => req.has(p + '>' + q) ? '*' : acc.has(p + '>' + q) ? '~' : '';
for (const q of Q) {
  const rows = P.map(p => ({ p, f: scorePair(p, q) })).sort((x, y) => y.f.score - x.f.score).slice(0, 4);
  console.log(`new ${q.number} [${q.keyTerms}]: ` + rows.map(({ p, f }) => `${p.number}${m(p.number, q.number)} ${f.score} (t${f.tfidf} k${f.keyTerms} d${f.dice})`).join(' | '));
}
for (const p of P) {
  const rows = Q.map(q => ({ q, f: scorePair(p, q) })).sort((x, y) => y.f.score - x.f.score).slice(0, 3);
  console.log(`old ${p.number} [${p.keyTerms}]: ` + rows.map(({ q, f }) => `${q.number}${m(p.number, q.number)} ${f.score} [${f.sharedTerms.slice(0,4)}]`).join(' | '));
}
