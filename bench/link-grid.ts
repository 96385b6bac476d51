// npm run bench:link-grid — how the matching constants were chosen, and how
// well that choice carries to a pair it was not chosen on. Every combination
// of the values below is run on every gold pair (the seed pair, the six fixture
// pairs, a 300 x 300 synthetic pair); configurations are ranked by mean F1.
// Leave-one-out: for each pair, the configuration best on the OTHER pairs, and
// its precision/recall on the left-out pair.
// Override a list with an environment variable, e.g. WS=0,0.2 MXZ=2.
import { matchGenerationsWithStats } from '../src/match/index.js';
import type { DocumentJson } from '../src/schema.js';
import { evaluate, loadGoldPairs, type Gold } from './link-eval.js';
import { syntheticGenerations } from './link-synthetic.js';

const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map(Number);
const grid = {
  semantic: list('WS', '0,0.1,0.2,0.3'),
  minScore: list('MS', '0.06,0.1,0.14'),
  minExtraScore: list('MX', '0.1,0.2'),
  ratio: list('RATIO', '0.5,0.7'),
  // -1e9: no z gate (the rule before it existed).
  minExtraZ: list('MXZ', '-1e9,2,3,4,5'),
};

async function main() {
  const pairs: [string, DocumentJson, DocumentJson, Gold][] = (await loadGoldPairs()).map((p) => [p.name, p.older, p.newer, p.gold]);
  const synthetic = syntheticGenerations(300, 20240501);
  pairs.push(['synthetic', synthetic.older, synthetic.newer, synthetic.gold]);

  type Result = { config: Record<string, number>; per: Record<string, { p: number; r: number; f1: number }> };
  const results: Result[] = [];
  for (const semantic of grid.semantic)
    for (const minScore of grid.minScore)
      for (const minExtraScore of grid.minExtraScore)
        for (const ratio of grid.ratio)
          for (const minExtraZ of grid.minExtraZ) {
            const per: Result['per'] = {};
            for (const [name, older, newer, gold] of pairs) {
              const { linkSet } = matchGenerationsWithStats(older, newer, { weights: { semantic }, thresholds: { minScore, minExtraScore, ratio, minExtraZ } });
              const e = evaluate(linkSet, gold);
              per[name] = { p: e.precision, r: e.recall, f1: (2 * e.precision * e.recall) / (e.precision + e.recall || 1) };
            }
            results.push({ config: { semantic, minScore, minExtraScore, ratio, minExtraZ }, per });
          }
  const meanF1 = (r: Result, leaveOut?: string) => {
    const names = Object.keys(r.per).filter((n) => n !== leaveOut);
    return names.reduce((s, n) => s + r.per[n].f1, 0) / names.length;
  };
  const show = (c: Record<string, number>) => Object.entries(c).map(([k, v]) => `${k} ${v < -1e6 ? 'off' : v}`).join(', ');
  const pr = (x: { p: number; r: number }) => `${x.p.toFixed(2)}/${x.r.toFixed(2)}`;
  console.log(`${results.length} configurations x ${pairs.length} pairs; best by mean F1 (precision/recall per pair):`);
  for (const r of [...results].sort((a, b) => meanF1(b) - meanF1(a)).slice(0, 5)) {
    console.log(`  ${meanF1(r).toFixed(3)}  ${show(r.config)}\n         ${Object.entries(r.per).map(([n, x]) => `${n} ${pr(x)}`).join('  ')}`);
  }
  console.log('Leave-one-out (configuration chosen on the other pairs -> this pair):');
  let total = 0;
  for (const [name] of pairs) {
    const best = [...results].sort((a, b) => meanF1(b, name) - meanF1(a, name))[0];
    total += best.per[name].f1;
    console.log(`  ${name.padEnd(19)} P/R ${pr(best.per[name])}   (${show(best.config)})`);
  }
  console.log(`  mean F1 ${(total / pairs.length).toFixed(3)}`);
}

await main();
