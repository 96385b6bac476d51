import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { jsonSchemas } from '../src/emit/json-schema.js';

describe('published JSON Schema', () => {
  it('is current with the zod schema (run `npm run schema` after changing src/schema.ts)', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      const committed = JSON.parse(readFileSync(`schema/${name}.schema.json`, 'utf8'));
      expect(committed, name).toEqual(schema);
    }
  });
});
