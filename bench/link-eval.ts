// Precision and recall of a link set against gold links (bench:link and its helpers).
import { readFileSync } from 'node:fs';
import { extractFile } from '../src/pipeline.js';
import type { DocumentJson, LinkSet } from '../src/schema.js';

export interface Gold {
  required: [string, string][];
  acceptable: [string, string][];
  relations?: Record<string, string>;
}

export function evaluate(linkSet: LinkSet, gold: Gold) {
  const key = (a: string, b: string) => `${a}->${b}`;
  const required = new Set(gold.required.map(([a, b]) => key(a, b)));
  const ok = new Set([...required, ...gold.acceptable.map(([a, b]) => key(a, b))]);
  const predicted = linkSet.links.map((l) => key(l.from.number, l.to.number));
  const correct = predicted.filter((p) => ok.has(p)).length;
  const found = [...required].filter((r) => predicted.includes(r)).length;
  const wrong = predicted.filter((p) => !ok.has(p));
  const missed = [...required].filter((r) => !predicted.includes(r));
  let relationsRight = 0;
  let relationsTotal = 0;
  if (gold.relations) {
    for (const l of linkSet.links) {
      const want = gold.relations[key(l.from.number, l.to.number)];
      if (!want) continue;
      relationsTotal++;
      if (want === l.relation) relationsRight++;
    }
  }
  return {
    precision: predicted.length ? correct / predicted.length : 1,
    recall: required.size ? found / required.size : 1,
    predicted: predicted.length,
    wrong,
    missed,
    relations: relationsTotal ? `${relationsRight}/${relationsTotal}` : 'n/a',
  };
}

export interface GoldPair {
  name: string;
  older: DocumentJson;
  newer: DocumentJson;
  gold: Gold;
  /** Gold written by other hands before rectrace was run on the pair. */
  blind: boolean;
}

const FIXTURE_PAIRS = ['progress-update', 'reworded', 'maternity'];
const BLIND_PAIRS = ['police-inspection', 'fire-culture', 'council-governance'];

/** Every gold pair, extracted by the real pipeline: the seed pair, then fixtures/generations/ (run from the project root). */
export async function loadGoldPairs(): Promise<GoldPair[]> {
  const load = async (name: string, olderPath: string, newerPath: string, goldPath: string, blind: boolean): Promise<GoldPair> => {
    const [older, newer] = await Promise.all([extractFile(olderPath), extractFile(newerPath)]);
    return { name, older, newer, gold: JSON.parse(readFileSync(goldPath, 'utf8')) as Gold, blind };
  };
  const pairs = [
    await load('seed 2022-2023', 'fixtures/seeds/000_2f423a773bf542d4.txt', 'fixtures/seeds/004_0b441babad7e57b2.txt', 'fixtures/gold/links-2022-2023.json', false),
  ];
  for (const name of [...FIXTURE_PAIRS, ...BLIND_PAIRS]) {
    const dir = `fixtures/generations/${name}`;
    pairs.push(await load(name, `${dir}/older.txt`, `${dir}/newer.txt`, `${dir}/gold.json`, BLIND_PAIRS.includes(name)));
  }
  return pairs;
}
