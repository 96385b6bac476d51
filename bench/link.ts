// npm run bench:link — matching quality on the seed pair and the fixture pairs
// (precision: predicted links that gold calls required or acceptable; recall:
// required links found), then a 2,000 x 2,000 synthetic scale test.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { extractFile } from '../src/pipeline.js';
import { matchGenerationsWithStats, type MatchOptions } from '../src/match/index.js';
import type { DocumentJson } from '../src/schema.js';
import { evaluate, type Gold } from './link-eval.js';
import { syntheticGenerations } from './link-synthetic.js';

const f2 = (x: number) => x.toFixed(2);

async function pair(name: string, olderPath: string, newerPath: string, goldPath: string, options: MatchOptions = {}) {
  const [older, newer]: DocumentJson[] = await Promise.all([extractFile(olderPath), extractFile(newerPath)]);
  const gold = JSON.parse(readFileSync(goldPath, 'utf8')) as Gold;
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
  const seed = ['fixtures/seeds/000_2f423a773bf542d4.txt', 'fixtures/seeds/004_0b441babad7e57b2.txt', '../shared/gold/links-2022-2023.json'] as const;
  await pair('seed 2022-2023', ...seed);
  for (const name of ['progress-update', 'reworded', 'maternity']) {
    const dir = `fixtures/generations/${name}`;
    await pair(name, `${dir}/older.txt`, `${dir}/newer.txt`, `${dir}/gold.json`);
  }
  console.log('Pairs whose gold was written blind by other hands (deliberately hard: several links share only meaning)');
  for (const name of ['police-inspection', 'fire-culture', 'council-governance']) {
    const dir = `fixtures/generations/${name}`;
    await pair(name, `${dir}/older.txt`, `${dir}/newer.txt`, `${dir}/gold.json`);
  }
  console.log('Without word vectors (the semantic feature off), for comparison');
  await pair('seed, lexical', ...seed, { wordVectors: null });

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
