import { describe, expect, it } from 'vitest';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { createHeapTrimmer } from '../src/batch/heap.js';

const oldSpaceUsed = (): number => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;

/** Leaves ~`mb` MB of dead objects in the old space: kept alive across many young collections, then dropped. */
function promoteGarbage(mb: number): void {
  let kept: Array<{ index: number; label: string }> | null = [];
  for (let i = 0; i < mb * 12_000; i++) kept.push({ index: i, label: `item ${i}` });
  // Young-generation churn so the kept objects survive scavenges and are promoted.
  let churn = 0;
  for (let i = 0; i < 2_000_000; i++) churn += { value: i }.value;
  expect(churn).toBeGreaterThan(0);
  expect(kept.length).toBe(mb * 12_000);
  kept = null;
}

/** Leaves `mb` MB of dead array buffers whose small wrappers were promoted: the old space barely grows. */
function promoteBuffers(mb: number): void {
  let kept: Uint8Array[] | null = [];
  for (let i = 0; i < mb; i++) kept.push(new Uint8Array(2 ** 20).fill(i));
  let churn = 0;
  for (let i = 0; i < 2_000_000; i++) churn += { value: i }.value;
  expect(churn).toBeGreaterThan(0);
  expect(kept.length).toBe(mb);
  kept = null;
}

describe('heap trimming between documents (worker threads)', () => {
  it('collects only when the old space has outgrown what survived the last collection, without exposing gc', () => {
    const hadGc = typeof (globalThis as { gc?: unknown }).gc;
    const trimmer = createHeapTrimmer();
    expect(trimmer).not.toBeNull();
    // The collector is this module's alone: the global scope is as it was.
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe(hadGc);

    trimmer!.afterDocument(); // sets what is live now (collects if the runner left much garbage)
    const before = trimmer!.collections;
    expect(trimmer!.afterDocument()).toBe(false); // nothing has grown since
    expect(trimmer!.collections).toBe(before);

    promoteGarbage(80);
    const grown = oldSpaceUsed();
    expect(trimmer!.afterDocument()).toBe(true);
    expect(trimmer!.collections).toBe(before + 1);
    expect(oldSpaceUsed()).toBeLessThan(grown - 32 * 2 ** 20);

    expect(trimmer!.afterDocument()).toBe(false);
  });

  it('collects when dead array buffers outside the heap pile up, though the old space has not grown', () => {
    const trimmer = createHeapTrimmer()!;
    trimmer.afterDocument(); // the floor: what is live now
    const before = trimmer.collections;
    expect(trimmer.afterDocument()).toBe(false);
    const oldBefore = oldSpaceUsed();
    promoteBuffers(8);
    expect(trimmer.afterDocument()).toBe(false); // 8 MB: under the threshold
    promoteBuffers(24);
    expect(oldSpaceUsed() - oldBefore).toBeLessThan(16 * 2 ** 20); // not the old space's trigger
    expect(getHeapStatistics().external_memory).toBeGreaterThan(24 * 2 ** 20);
    expect(trimmer.afterDocument()).toBe(true);
    expect(trimmer.collections).toBe(before + 1);
  });
});
