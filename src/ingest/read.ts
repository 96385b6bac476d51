import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { RectraceError } from '../errors.js';

export interface InputFile {
  /** Path as given by the user (a name that is not UTF-8 shows its bytes as \xNN). */
  path: string;
  filename: string;
  bytes: Uint8Array;
  sha256: string;
}

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// File names that are not valid UTF-8 cannot round-trip through a JS string:
// folder walks register such names under a printable form (bytes as \xNN) and
// the file is opened by its real bytes.
const rawPaths = new Map<string, Buffer>();

export function registerRawPath(display: string, raw: Buffer): void {
  rawPaths.set(display, raw);
}

/** The path to hand to `fs` for a path as shown. */
export function fsPath(shown: string): string | Buffer {
  return rawPaths.get(shown) ?? shown;
}

/** A file-system error on an input → its stable code. */
export function inputError(err: unknown, shown: string): RectraceError {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new RectraceError('input/not-found', `cannot read ${shown}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new RectraceError('input/unreadable', `cannot read ${shown}: permission denied`);
  if (code === 'EISDIR') return new RectraceError('input/unreadable', `${shown} is a folder that could not be listed`);
  return new RectraceError('input/unreadable', `cannot read ${shown}: ${code ?? (err as Error)?.message ?? err}`);
}

const CHUNK = 1 << 20;

/**
 * Reads one input. Only regular files are inputs: a FIFO, a device such as
 * /dev/zero or a socket fails at once (`input/not-a-file`) instead of blocking
 * or streaming forever. The read itself stops at `maxBytes` as it happens, so a
 * file that grows (or lies about its size) cannot exceed the limit either.
 */
export async function readInput(filePath: string, maxBytes = DEFAULT_MAX_BYTES): Promise<InputFile> {
  const where = fsPath(filePath);
  let info;
  try {
    info = await stat(where);
  } catch (err) {
    throw inputError(err, filePath);
  }
  if (info.isDirectory()) throw new RectraceError('input/unreadable', `${filePath} is a folder that could not be listed`);
  if (!info.isFile()) throw notAFile(filePath);
  if (info.size > maxBytes) {
    throw new RectraceError('input/too-large', `file is ${info.size} bytes, over the ${maxBytes}-byte limit (--max-size)`);
  }
  let handle: FileHandle;
  try {
    // O_NONBLOCK: should the name have become a FIFO since stat, open returns at once (checked below).
    handle = await open(where, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw inputError(err, filePath);
  }
  try {
    if (!(await handle.stat()).isFile()) throw notAFile(filePath);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new RectraceError('input/too-large', `file is over the ${maxBytes}-byte limit (--max-size)`);
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return { path: filePath, filename: path.basename(filePath), bytes, sha256: sha256(bytes) };
  } catch (err) {
    if (err instanceof RectraceError) throw err;
    throw inputError(err, filePath);
  } finally {
    await handle.close();
  }
}

function notAFile(shown: string): RectraceError {
  return new RectraceError('input/not-a-file', `${shown} is not a regular file (a FIFO, device or socket); only files are read`);
}
