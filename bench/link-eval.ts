// Precision and recall of a link set against gold links (bench:link and its helpers).
import type { LinkSet } from '../src/schema.js';

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
