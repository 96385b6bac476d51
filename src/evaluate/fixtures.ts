// The fixture → gold index (fixtures/gold/index.json), shared by the golden
// tests and `npm run bench:extract`.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GoldFile } from './gold.js';

export interface GoldCase {
  fixture: string; // path under fixtures/
  gold: GoldFile;
  goldName: string;
  method?: string;
}

type IndexValue = string | { gold: string; method?: string };

/** Gold indexes: the main one and the layout cases'. Gold paths are relative to fixtures/gold/. */
const INDEXES = ['gold/index.json', 'layouts/index.json', 'detection/index.json'];

export function loadGoldCases(root = 'fixtures'): GoldCase[] {
  const index: Record<string, IndexValue> = {};
  for (const file of INDEXES) {
    const full = path.join(root, file);
    if (existsSync(full)) Object.assign(index, JSON.parse(readFileSync(full, 'utf8')));
  }
  return Object.entries(index)
    .filter(([key]) => !key.startsWith('$') && !key.startsWith('_'))
    .map(([fixture, value]) => {
      const goldName = typeof value === 'string' ? value : value.gold;
      const method = typeof value === 'string' ? undefined : value.method;
      const gold = GoldFile.parse(JSON.parse(readFileSync(path.join(root, 'gold', goldName), 'utf8')));
      return { fixture, gold, goldName, ...(method ? { method } : {}) };
    });
}
