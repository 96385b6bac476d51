// Keeps a long-lived parser worker's heap the size of one document, not of the
// worst moment in a long batch.
//
// V8 sets the next collection's threshold from what was live at the last one.
// In a worker that reads document after document, a collection that happens
// mid-document (when a large page's runs, rules and operator lists are live)
// raises that threshold, and garbage then fills the old generation up to it:
// measured on the 67 ICDAR PDFs read three and nine times over, each worker's
// old space crept from ~20 MB to ~70 MB, so peak RSS rose with the number of
// documents although nothing is kept between them. Between documents almost
// nothing is live, so a full collection there resets the threshold to one
// document's worth. It runs only when the old space has grown well past that
// (a few times per hundred documents). The cost is the collections V8 would
// otherwise have skipped by growing: see the README's PDF memory figures.
//
// The same goes for memory outside the JS heap. pdf.js inflates streams through
// Node's DecompressionStream and passes messages between its halves by
// structured clone, so each document leaves array buffers behind; those whose
// wrappers were promoted are freed only by a full collection, and V8 starts one
// for them only after 64 MB more. Between documents that garbage crept up over
// a long batch (from 11 to 25–32 MB on average per worker, at times 60 MB, over
// 603 documents), and with it the malloc arenas it fragments.
import { getHeapSpaceStatistics, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Growth of the old generation over what survived the last collection that triggers the next one. */
const MIN_GROWTH_BYTES = 32 * 2 ** 20;
/** Growth of external memory (array buffers) over its lowest level between documents that triggers a collection. */
const MIN_EXTERNAL_GROWTH_BYTES = 16 * 2 ** 20;

export interface HeapTrimmer {
  /** Call between documents: collects when the old space, or the array buffers outside it, have outgrown what is live. Returns whether it did. */
  afterDocument(): boolean;
  /** Collections run so far (tests). */
  readonly collections: number;
}

function oldSpaceUsed(): number {
  return getHeapSpaceStatistics().find((x) => x.space_name === 'old_space')?.space_used_size ?? 0;
}

/**
 * A trimmer for this thread. The collector is obtained without exposing `gc`
 * to any other code: the flag is on only while one fresh context is created.
 * Null when the runtime does not allow it (the worker then runs as before).
 */
export function createHeapTrimmer(): HeapTrimmer | null {
  let collect = typeof globalThis.gc === 'function' ? (globalThis.gc as () => void) : undefined;
  if (!collect) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      if (typeof gc === 'function') collect = gc as () => void;
    } catch {
      // No collector: nothing to do.
    } finally {
      setFlagsFromString('--no-expose-gc');
    }
  }
  if (!collect) return null;
  const run = collect;
  let live = 0;
  // External memory is counted down only once freed buffers are swept, after a
  // collection returns, so its floor is the lowest level seen between documents.
  let externalFloor = Infinity;
  let collections = 0;
  return {
    afterDocument() {
      const external = getHeapStatistics().external_memory;
      externalFloor = Math.min(externalFloor, external);
      // What the old space holds now, garbage included, against what survived
      // the last collection here. (Its committed size lags behind a collection,
      // so it would trigger again and again.)
      const oldSpaceGrown = oldSpaceUsed() > Math.max(2 * live, live + MIN_GROWTH_BYTES);
      if (!oldSpaceGrown && external <= externalFloor + MIN_EXTERNAL_GROWTH_BYTES) return false;
      run();
      collections++;
      live = oldSpaceUsed();
      return true;
    },
    get collections() {
      return collections;
    },
  };
}
