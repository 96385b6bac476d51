// Developer aid: print the recommendations and detection messages of one file.
// usage: npx tsx scripts/dev/dump-recs.ts FILE
import { readFile } from 'node:fs/promises';
import { extractInput } from '../../src/pipeline.js';
import { createHash } from 'node:crypto';
const f = process.argv[2];
const bytes = new Uint8Array(await readFile(f));
const doc = await extractInput({ path: f, filename: f, bytes, sha256: createHash('sha256').update(bytes).digest('hex') } as any);
for (const r of doc.recommendations) console.log(r.number, '|', r.label, '|', r.text.slice(0, 60), '|', JSON.stringify(r.columns).slice(0, 100), '|', r.section);
for (const m of doc.messages) console.log('MSG', m.code, m.reason.slice(0, 120));
