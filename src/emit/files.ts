// Whole files only: write to a temporary name in the same folder, then rename
// (atomic on POSIX), so a run killed at any moment leaves no half-written file.
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';

let counter = 0;

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
 * A file name for a document's JSON that cannot leave the output folder:
 * the input's base name reduced to safe characters, plus the content hash so
 * same-named inputs from different folders never collide.
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
  return `${safe}.${sha256.slice(0, 8)}.json`;
}

/** Resolve a name inside a folder, refusing anything that would escape it. */
export function insideFolder(folder: string, name: string): string {
  const root = path.resolve(folder);
  const full = path.resolve(root, name);
  if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`refusing to write outside ${root}: ${name}`);
  return full;
}

export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
