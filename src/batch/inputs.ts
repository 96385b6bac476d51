// Files and folders as given → the list of files a batch processes.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

// In folders, skip what is plainly not a report (rectrace's own outputs, notes,
// temporary files); everything else is sniffed by content and reported if unsupported.
const SKIPPED_IN_FOLDERS = /^readme|\.(json|csv|tmp|log)$/i;

/**
 * Files and folders as given → files, folders walked recursively in sorted
 * order. A file reached twice (listed and inside a listed folder, or spelt two
 * ways) is kept once, at its first place: two entries would share one output.
 */
export async function expandInputs(inputs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const input of inputs) {
    let info;
    try {
      info = await stat(input);
    } catch {
      found.push(input); // reported as input/not-found by the runner
      continue;
    }
    if (!info.isDirectory()) {
      found.push(input);
      continue;
    }
    const walk = async (dir: string): Promise<void> => {
      // Code-unit order, not locale order: the same folder lists the same way everywhere.
      const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else if (e.isFile() && !SKIPPED_IN_FOLDERS.test(e.name)) found.push(full);
      }
    };
    await walk(input);
  }
  const seen = new Set<string>();
  return found.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
