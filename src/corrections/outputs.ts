// Corrections applied to the documents a batch wrote (extract, run): each
// output is corrected in place (atomically) and the manifest's counts follow.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DocumentJson, type Manifest, type Overrides } from '../schema.js';
import { stableJson, writeFileAtomic } from '../emit/files.js';
import { applyCorrections, correctionsElsewhere, correctionsOfChangedDocument, type CorrectionProblem } from './index.js';

export interface CorrectedOutputs {
  problems: CorrectionProblem[];
  applied: number;
  /** Corrections naming documents that are not in this run (and not an earlier version of one). */
  elsewhere: number;
}

export async function correctOutputs(
  outDir: string,
  documents: Array<{ entry: Manifest['documents'][number]; outputPath: string }>,
  manifest: Manifest,
  overrides: Pick<Overrides, 'corrections'> | undefined,
  reextract: (source: string) => Promise<DocumentJson>,
): Promise<CorrectedOutputs> {
  const result: CorrectedOutputs = { problems: [], applied: 0, elsewhere: 0 };
  if (!overrides?.corrections?.length) return result;
  const docs = await Promise.all(documents.map(async (d) => DocumentJson.parse(JSON.parse(await readFile(d.outputPath, 'utf8')))));
  const shas = new Set(docs.map((d) => d.source.sha256));
  const staleIds = new Set<string>();
  let manifestChanged = false;
  for (let i = 0; i < docs.length; i++) {
    const stale = correctionsOfChangedDocument(docs[i], overrides, shas);
    stale.forEach((c) => staleIds.add(c.id));
    let applied = applyCorrections(docs[i], overrides, stale);
    // A person took a correction back: start again from a fresh extraction.
    if (applied.needsFresh) applied = { ...applyCorrections(await reextract(docs[i].source.path), overrides, stale), changed: true };
    result.problems.push(...applied.problems);
    result.applied += (applied.doc.corrections ?? []).filter((c) => c.applied).length;
    if (!applied.changed) continue;
    await writeFileAtomic(documents[i].outputPath, stableJson(DocumentJson.parse(applied.doc)));
    const count = applied.doc.recommendations.length;
    if (documents[i].entry.recommendations !== count) {
      documents[i].entry.recommendations = count;
      manifestChanged = true;
    }
  }
  result.elsewhere = correctionsElsewhere(overrides, shas).filter((c) => !staleIds.has(c.id)).length;
  if (manifestChanged) await writeFileAtomic(path.join(outDir, 'manifest.json'), stableJson(manifest));
  return result;
}
