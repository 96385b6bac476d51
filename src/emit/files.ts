// Whole files only: write to a temporary name in the same folder, then rename
// (atomic on POSIX), so a run killed at any moment leaves no half-written file.
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';

let counter = 0;

/**
 * Temporary files are hidden, end in .tmp and carry the writer's pid, so input
 * walks skip them, they never look like outputs, and a later run can tell a
 * killed writer's leftovers (pid gone) from a live writer's.
 */
export const TEMP_FILE = /^\..+\.(\d+)\.\d+\.tmp$/;

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * A file name for a document's JSON that cannot leave the output folder: the
 * input's base name reduced to safe characters, the content hash, and a short
 * hash of the path as given, so two inputs with the same name (even the same
 * bytes) in different folders never share an output.
 */
export function outputNameFor(inputPath: string, sha256: string): string {
  const base = path.basename(inputPath.replace(/\\/g, '/'));
  const stem = base.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  let safe = stem
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 80);
  if (!safe) safe = 'document';
  const where = createHash('sha256').update(inputPath).digest('hex').slice(0, 6);
  return `${safe}.${sha256.slice(0, 8)}-${where}.json`;
}

/** Resolve a name inside a folder, refusing anything that would escape it. */
export function insideFolder(folder: string, name: string): string {
  const root = path.resolve(folder);
  const full = path.resolve(root, name);
  if (full === root || !full.startsWith(root + path.sep)) throw new Error(`refusing to write outside ${root}: ${name}`);
  return full;
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
