// A seeded mutator for fuzzing the runner with damaged PDFs and .docx files:
// byte flips, truncations, splices, number tweaks, and (for .docx) damage to
// single zip entries and to the zip's own directory. Same seed, same inputs.
import { unzipSync, zipSync, strToU8 } from 'fflate';

export type Rng = () => number;

/** mulberry32: small, fast, and the same sequence everywhere. */
export function seededRng(seed: number): Rng {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)];

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Byte-level damage any format can get.
const byteMutations = {
  flip(b: Uint8Array, rng: Rng): Uint8Array {
    const out = b.slice();
    const n = 1 + int(rng, 8);
    for (let i = 0; i < n && out.length; i++) out[int(rng, out.length)] = int(rng, 256);
    return out;
  },
  bitflip(b: Uint8Array, rng: Rng): Uint8Array {
    const out = b.slice();
    if (out.length) out[int(rng, out.length)] ^= 1 << int(rng, 8);
    return out;
  },
  truncate(b: Uint8Array, rng: Rng): Uint8Array {
    return b.slice(0, int(rng, b.length + 1));
  },
  chop(b: Uint8Array, rng: Rng): Uint8Array {
    const at = int(rng, b.length + 1);
    return concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(rng, 512))));
  },
  splice(b: Uint8Array, rng: Rng, other: Uint8Array): Uint8Array {
    const from = int(rng, other.length + 1);
    const chunk = other.subarray(from, from + 1 + int(rng, 2048));
    const at = int(rng, b.length + 1);
    const replace = rng() < 0.5 ? chunk.length : 0;
    return concat(b.subarray(0, at), chunk, b.subarray(Math.min(b.length, at + replace)));
  },
  duplicate(b: Uint8Array, rng: Rng): Uint8Array {
    const from = int(rng, b.length + 1);
    const chunk = b.subarray(from, from + 1 + int(rng, 4096));
    const at = int(rng, b.length + 1);
    return concat(b.subarray(0, at), chunk, chunk, b.subarray(at));
  },
  // Numbers carry a PDF's lengths, offsets, object numbers and coordinates, and a zip's sizes in XML.
  number(b: Uint8Array, rng: Rng): Uint8Array {
    const text = Buffer.from(b).toString('latin1');
    const spots = [...text.matchAll(/\d+/g)];
    if (!spots.length) return b;
    const m = pick(rng, spots);
    const value = pick(rng, ['0', '-1', '1', '4294967296', '99999999999999999999', String(int(rng, 100000)), '1e308', 'NaN']);
    return Buffer.from(text.slice(0, m.index) + value + text.slice(m.index! + m[0].length), 'latin1');
  },
};

type ByteMutation = keyof typeof byteMutations;
const BYTE_MUTATIONS = Object.keys(byteMutations) as ByteMutation[];

// Damage inside a .docx: to one entry, then re-zipped; or to the zip directory itself.
const ZIP_DAMAGE = ['entry-bytes', 'entry-truncate', 'entry-drop', 'entry-garbage', 'xml-tags', 'directory'] as const;

function damageZip(b: Uint8Array, rng: Rng, other: Uint8Array): { bytes: Uint8Array; how: string } {
  const kind = pick(rng, ZIP_DAMAGE);
  if (kind === 'directory') {
    // Flip bytes inside a central-directory or local header (sizes, offsets, name lengths).
    const text = Buffer.from(b).toString('latin1');
    const heads = [...text.matchAll(/PK\x01\x02|PK\x03\x04|PK\x05\x06/g)];
    if (!heads.length) return { bytes: byteMutations.flip(b, rng), how: 'zip:directory' };
    const h = pick(rng, heads).index!;
    const out = b.slice();
    for (let i = 0; i < 1 + int(rng, 3); i++) {
      const at = h + 4 + int(rng, 42);
      if (at < out.length) out[at] = int(rng, 256);
    }
    return { bytes: out, how: 'zip:directory' };
  }
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(b);
  } catch {
    return { bytes: byteMutations.flip(b, rng), how: 'zip:unreadable-flip' };
  }
  const names = Object.keys(files);
  // Mostly the parts that matter: the document, numbering, styles.
  const important = names.filter((n) => /^word\/(document|numbering|styles)\.xml$/.test(n));
  const name = important.length && rng() < 0.7 ? pick(rng, important) : pick(rng, names);
  const data = files[name];
  switch (kind) {
    case 'entry-bytes':
      files[name] = byteMutations[pick(rng, ['flip', 'chop', 'duplicate', 'number'] as const)](data, rng);
      break;
    case 'entry-truncate':
      files[name] = byteMutations.truncate(data, rng);
      break;
    case 'entry-drop':
      delete files[name];
      break;
    case 'entry-garbage':
      files[name] = byteMutations.splice(data, rng, other);
      break;
    case 'xml-tags': {
      // Structural damage a byte flip rarely makes: unbalanced, repeated, or nested-too-deep tags.
      const text = Buffer.from(data).toString('utf8');
      const tags = [...text.matchAll(/<\/?w:(tbl|tr|tc|p|r|t|gridSpan|vMerge|numPr|ilvl|numId)\b[^>]*>/g)];
      if (tags.length) {
        const t = pick(rng, tags);
        const op = int(rng, 3);
        const insert = op === 0 ? '' : op === 1 ? t[0].repeat(2 + int(rng, 50)) : '<w:tbl><w:tr><w:tc>'.repeat(50 + int(rng, 500));
        files[name] = strToU8(text.slice(0, t.index) + insert + text.slice(t.index! + (op === 1 ? 0 : t[0].length)));
      } else files[name] = byteMutations.flip(data, rng);
      break;
    }
  }
  const zipped = zipSync(Object.fromEntries(Object.entries(files).map(([n, d]) => [n, [d, { mtime: new Date('2024-01-01T00:00:00Z') }]])));
  return { bytes: zipped, how: `zip:${kind}:${name}` };
}

export interface Mutant {
  bytes: Uint8Array;
  /** Which seed and which damage, for reporting a failure. */
  how: string;
  ext: 'pdf' | 'docx';
}

/**
 * `count` mutants of the seed files, seeded: mutant i is derived from seed file
 * i mod n with 1-3 stacked mutations (zip damage for half the .docx ones).
 */
export function* mutants(seeds: Array<{ name: string; bytes: Uint8Array }>, count: number, seed = 7): Generator<Mutant> {
  const rng = seededRng(seed);
  for (let i = 0; i < count; i++) {
    const base = seeds[i % seeds.length];
    const other = pick(rng, seeds).bytes;
    const ext = base.name.endsWith('.docx') ? 'docx' : 'pdf';
    let bytes = base.bytes;
    const steps: string[] = [];
    if (ext === 'docx' && rng() < 0.5) {
      const d = damageZip(bytes, rng, other);
      bytes = d.bytes;
      steps.push(d.how);
    } else {
      const stack = 1 + int(rng, 3);
      for (let s = 0; s < stack; s++) {
        const m = pick(rng, BYTE_MUTATIONS);
        bytes = byteMutations[m](bytes, rng, other);
        steps.push(m);
      }
    }
    yield { bytes, how: `${base.name}: ${steps.join(' + ')}`, ext };
  }
}

/** Writes mutants into `dir` as NNNN-<seed name>.<ext>; returns file name → how it was made. */
export function writeMutants(
  dir: string,
  seeds: Array<{ name: string; bytes: Uint8Array }>,
  count: number,
  seed: number,
  write: (file: string, bytes: Uint8Array) => void,
): Map<string, string> {
  const how = new Map<string, string>();
  let i = 0;
  for (const m of mutants(seeds, count, seed)) {
    const stem = seeds[i % seeds.length].name.replace(/\.[a-z]+$/, '');
    const name = `${String(i).padStart(5, '0')}-${stem}.${m.ext}`;
    write(`${dir}/${name}`, m.bytes);
    how.set(name, m.how);
    i++;
  }
  return how;
}
