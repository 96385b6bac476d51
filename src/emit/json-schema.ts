import { z } from 'zod';
import { Correction, DocumentJson, Lineage, LinkSet, Manifest, MatchSettings, Overrides, SeriesSet } from '../schema.js';

/** The published JSON Schemas, generated from the zod schema. */
export function jsonSchemas(): Record<string, unknown> {
  // Files rectrace writes are described as output; the overrides file, which people write, as input (defaults optional).
  const make = (schema: z.ZodType, id: string, io: 'input' | 'output' = 'output') => ({
    $id: `https://rectrace.invalid/schema/${id}.schema.json`,
    ...z.toJSONSchema(schema, { target: 'draft-2020-12', io }),
  });
  return {
    document: make(DocumentJson, 'document'),
    manifest: make(Manifest, 'manifest'),
    links: make(LinkSet, 'links'),
    lineage: make(Lineage, 'lineage'),
    overrides: make(Overrides, 'overrides', 'input'),
    series: make(SeriesSet, 'series'),
    correction: make(Correction, 'correction'),
    'match-settings': make(MatchSettings, 'match-settings'),
  };
}
