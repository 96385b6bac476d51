// npm run bench:link — matching quality on the seed pair and the fixture pairs
// (precision: predicted links that gold calls required or acceptable; recall:
// required links found), then a 2,000 x 2,000 synthetic scale test.
import { performance } from 'node:perf_hooks';
import { matchGenerationsWithStats, type MatchOptions } from '../src/match/index.js';
import type { DocumentJson } from '../src/schema.js';
import { evaluate, loadGoldPairs, type Gold } from './link-eval.js';
import { syntheticGenerations } from './link-synthetic.js';

const f2 = (x: number) => x.toFixed(2);

function report(name: string, older: DocumentJson, newer: DocumentJson, gold: Gold, options: MatchOptions = {}) {
  const { linkSet, stats } = matchGenerationsWithStats(older, newer, options);
  const e = evaluate(linkSet, gold);
  console.log(
    `${name.padEnd(19)} recs ${older.recommendations.length}x${newer.recommendations.length}  precision ${f2(e.precision)}  recall ${f2(e.recall)}  links ${e.predicted}  relations ${e.relations}  pairs scored ${stats.pairsScored}/${stats.allPairs}`,
  );
  if (e.wrong.length) console.log(`  not in gold: ${e.wrong.join(' ')}`);
  if (e.missed.length) console.log(`  missed:      ${e.missed.join(' ')}`);
  return e;
}

async function main() {
  console.log('Matching quality (gold: required + acceptable links)');
  const pairs = await loadGoldPairs();
  for (const [i, p] of pairs.entries()) {
    if (p.blind && !pairs[i - 1]?.blind) console.log('Pairs whose gold was written blind by other hands (deliberately hard: several links share only meaning)');
    report(p.name, p.older, p.newer, p.gold);
  }
  console.log('Without word vectors (the semantic feature off), for comparison');
  const seed = pairs[0];
  report('seed, lexical', seed.older, seed.newer, seed.gold, { wordVectors: null });

  console.log('\nScale: two synthetic generations of 2,000 recommendations (seeded)');
  const { older, newer, gold } = syntheticGenerations(2000, 20240501);
  const t0 = performance.now();
  const { linkSet, stats } = matchGenerationsWithStats(older, newer);
  const ms = performance.now() - t0;
  const e = evaluate(linkSet, gold);
  console.log(
    `synthetic        recs ${older.recommendations.length}x${newer.recommendations.length}  time ${(ms / 1000).toFixed(2)} s  pairs scored ${stats.pairsScored} of ${stats.allPairs} (${((100 * stats.pairsScored) / stats.allPairs).toFixed(2)}%)  precision ${f2(e.precision)}  recall ${f2(e.recall)}  relations ${e.relations}`,
  );
}

await main();
