// Files and folders as given → the list of files a batch processes.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { registerRawPath } from '../ingest/read.js';

// In folders, skip what is plainly not a report (rectrace's own outputs, notes,
// temporary files); everything else is sniffed by content and reported if unsupported.
const SKIPPED_IN_FOLDERS = /^readme|\.(json|csv|tmp|log)$/i;

/**
 * A file name's bytes as a string: UTF-8 where they are valid, each other byte
 * as `\xNN`, so a name from another system's encoding is shown, not lost.
 */
export function showName(raw: Buffer): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const b = raw[i];
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let ok = n > 0 && i + n <= raw.length;
    for (let k = 1; ok && k < n; k++) ok = (raw[i + k] & 0xc0) === 0x80;
    const piece = ok ? raw.toString('utf8', i, i + n) : '';
    if (ok && !piece.includes('\ufffd')) {
      out += piece;
      i += n;
    } else {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i++;
    }
  }
  return out;
}

/**
 * Files and folders as given → files, folders walked recursively in sorted
 * order. A file reached twice (listed and inside a listed folder, or spelt two
 * ways) is kept once, at its first place: two entries would share one output.
 * A folder that cannot be listed stays in the list as itself, so the runner
 * reports it as one failed entry (`input/unreadable`) and goes on.
 */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch {
      found.push(input); // reported as input/not-found (or unreadable) by the runner
      continue;
    }
    if (!info.isDirectory()) {
      found.push(input);
      continue;
    }
    const walk = async (dir: string, rawDir: Buffer): Promise<void> => {
      let listed;
      try {
        listed = await readdir(rawDir, { withFileTypes: true, encoding: 'buffer' });
      } catch {
        found.push(dir);
        return;
      }
      // Code-unit order, not locale order: the same folder lists the same way everywhere.
      const entries = listed
        .map((e) => {
          const name = showName(e.name);
          const plain = Buffer.from(name).equals(e.name) && Buffer.from(dir).equals(rawDir);
          return { e, name, raw: plain ? Buffer.from(path.join(dir, name)) : Buffer.concat([rawDir, Buffer.from(path.sep), e.name]) };
        })
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const { e, name, raw } of entries) {
        if (name.startsWith('.')) continue;
        const full = path.join(dir, name);
        if (!raw.equals(Buffer.from(full))) registerRawPath(full, raw);
        if (e.isDirectory()) await walk(full, raw);
        else if (!SKIPPED_IN_FOLDERS.test(name)) {
          // Regular files, and FIFOs, devices and sockets too, so that they are
          // reported (input/not-a-file) rather than silently skipped. Links are not followed.
          if (!e.isSymbolicLink()) found.push(full);
        }
      }
    };
    await walk(input, Buffer.from(input));
  }
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

