// What an earlier run in the same output folder left: its manifest, the
// documents it finished, and temporary files from writers that were killed.
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Manifest, type ManifestEntry } from '../schema.js';
import { insideFolder, TEMP_FILE } from '../emit/files.js';
import { GENERATOR } from '../version.js';

export async function readPreviousManifest(outDir: string): Promise<Manifest | null> {
  try {
    const parsed = Manifest.safeParse(JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The recommendation count of a finished output for this source, if the file
 * at `output` was made by this rectrace version from these exact bytes.
 * Used both for manifest entries and for outputs written just before a run was
 * killed (the document is on disk, the manifest did not get to list it).
 */
export async function reusableOutput(outDir: string, output: string, source: string, sha: string, ocr = true): Promise<number | null> {
  try {
    const doc = JSON.parse(await readFile(insideFolder(outDir, output), 'utf8')) as {
      generator?: { version?: string };
      source?: { sha256?: string; path?: string };
      recommendations?: unknown[];
      messages?: Array<{ code?: string }>;
    };
    if (doc.generator?.version !== GENERATOR.version || doc.source?.sha256 !== sha || doc.source?.path !== source) return null;
    // An output read by OCR is not what a run without OCR would write, nor the other way round.
    if (doc.messages?.some((m) => m.code === (ocr === false ? 'pdf/ocr' : 'pdf/ocr-off'))) return null;
    return Array.isArray(doc.recommendations) ? doc.recommendations.length : null;
  } catch {
    return null;
  }
}

export async function reusable(outDir: string, entry: ManifestEntry | undefined, sha: string, ocr = true): Promise<ManifestEntry | null> {
  if (!entry || entry.status !== 'ok' || !entry.output || entry.sha256 !== sha) return null;
  const count = await reusableOutput(outDir, entry.output, entry.source, sha, ocr);
  return count === null ? null : { ...entry, recommendations: count };
}

/** Removes temporary files whose writing process no longer runs (a killed run's leftovers). */
export async function removeStaleTempFiles(outDir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(outDir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const m = TEMP_FILE.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processRuns(pid)) continue;
    await rm(path.join(outDir, name), { force: true });
    removed++;
  }
  return removed;
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
