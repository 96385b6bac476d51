import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { RectraceError } from '../errors.js';

export interface InputFile {
  /** Path as given by the user. */
  path: string;
  filename: string;
  bytes: Uint8Array;
  sha256: string;
}

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function readInput(filePath: string, maxBytes = DEFAULT_MAX_BYTES): Promise<InputFile> {
  let size: number;
  try {
    size = (await stat(filePath)).size;
  } catch {
    throw new RectraceError('input/not-found', `cannot read ${filePath}`);
  }
  if (size > maxBytes) {
    throw new RectraceError('input/too-large', `file is ${size} bytes, over the ${maxBytes}-byte limit (--max-size)`);
  }
  const bytes = new Uint8Array(await readFile(filePath));
  return { path: filePath, filename: path.basename(filePath), bytes, sha256: sha256(bytes) };
}
