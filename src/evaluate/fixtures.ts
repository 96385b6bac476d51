// The fixture → gold index (fixtures/gold/index.json), shared by the golden
// tests and `npm run bench:extract`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GoldFile } from './gold.js';

export interface GoldCase {
  fixture: string; // path under fixtures/
  gold: GoldFile;
  goldName: string;
  method?: string;
}

type IndexValue = string | { gold: string; method?: string };

export function loadGoldCases(root = 'fixtures'): GoldCase[] {
  const index = JSON.parse(readFileSync(path.join(root, 'gold', 'index.json'), 'utf8')) as Record<string, IndexValue>;
  return Object.entries(index)
    .filter(([key]) => !key.startsWith('$') && !key.startsWith('_'))
    .map(([fixture, value]) => {
      const goldName = typeof value === 'string' ? value : value.gold;
      const method = typeof value === 'string' ? undefined : value.method;
      const gold = GoldFile.parse(JSON.parse(readFileSync(path.join(root, 'gold', goldName), 'utf8')));
      return { fixture, gold, goldName, ...(method ? { method } : {}) };
    });
}
