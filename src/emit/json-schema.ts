import { z } from 'zod';
import { Correction, DocumentJson, Lineage, LinkSet, Manifest, MatchSettings, Overrides } from '../schema.js';

/** The published JSON Schemas, generated from the zod schema. */
export function jsonSchemas(): Record<string, unknown> {
  const make = (schema: z.ZodType, id: string) => ({
    $id: `https://rectrace.invalid/schema/${id}.schema.json`,
    ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output' }),
  });
  return {
    document: make(DocumentJson, 'document'),
    manifest: make(Manifest, 'manifest'),
    links: make(LinkSet, 'links'),
    lineage: make(Lineage, 'lineage'),
    overrides: make(Overrides, 'overrides'),
    correction: make(Correction, 'correction'),
    'match-settings': make(MatchSettings, 'match-settings'),
  };
}
