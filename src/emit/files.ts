// Whole files only: write to a temporary name in the same folder, then rename
// (atomic on POSIX), so a run killed at any moment leaves no half-written file.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Temporary files are hidden, end in .tmp and carry the writer's pid, so input
 * walks skip them, they never look like outputs, and a later run can tell a
 * killed writer's leftovers (pid gone) from a live writer's. The rest of the
 * name is random, so nobody can plant a file or link there in advance.
 */
export const TEMP_FILE = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

/**
 * Writes a whole file: a temporary file created exclusively (`wx`: O_CREAT |
 * O_EXCL, which never follows a link planted under that name), then renamed
 * over the target. rename replaces a link at the target rather than writing
 * through it, so nothing outside the folder is ever written.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, data, { flag: 'wx', mode: 0o644 });
    await rename(tmp, file);
  } catch (err) {
    // EEXIST: the name was someone else's file or link, not ours to remove.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(tmp, { force: true });
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
