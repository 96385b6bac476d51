// Tests that need ../shared (the team's corpus beside the repository, not part of
// a clone) skip without it, saying in one line what they need.
import { existsSync } from 'node:fs';
import path from 'node:path';

export const SHARED = path.resolve(import.meta.dirname, '../../../shared');

/** Whether ../shared/<rel> exists; when it does not, prints one line naming the skipped tests and what they need. */
export function haveShared(rel: string, what: string): boolean {
  const ok = existsSync(path.join(SHARED, rel));
  if (!ok) process.stderr.write(`rectrace tests: skipped ${what}: needs ../shared/${rel} (the shared corpus beside the repository)\n`);
  return ok;
}
