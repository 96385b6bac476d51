// Writes schema/*.schema.json from the zod schema (the single source of types).
import { writeFileSync, mkdirSync } from 'node:fs';
import { jsonSchemas } from '../src/emit/json-schema.js';

mkdirSync('schema', { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(`schema/${name}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`schema/${name}.schema.json`);
}
