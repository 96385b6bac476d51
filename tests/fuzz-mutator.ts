// A seeded mutator for fuzzing the runner with damaged PDFs, .docx files and
// HTML pages: byte flips, truncations, splices, number tweaks, (for .docx) damage
// to single zip entries and to the zip's own directory, and structure-aware
// attacks (issue 13): the numbers a file states about itself (spans, counts,
// list starts, levels, lengths) set to 0, -1, NaN, 1e9, 2^53 and the like, deep
// nesting, sizes that lie, and streams that inflate past the limits.
// Same seed, same inputs.
import { deflateSync } from 'node:zlib';
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

/** What a hostile file puts where a count belongs. */
export const HOSTILE_NUMBERS = ['0', '-1', 'NaN', '1e9', '1000000000', '9007199254740992', '-9007199254740993', 'abc', '', '1.5', '9'.repeat(401)] as const;

/** Sets one numeric attribute matched by `re` (group 1: the value) to a hostile number. */
function hostileAttribute(text: string, re: RegExp, rng: Rng): string | null {
  const spots = [...text.matchAll(re)];
  if (!spots.length) return null;
  const [start, end] = pick(rng, spots).indices![1]!;
  return text.slice(0, start) + pick(rng, HOSTILE_NUMBERS) + text.slice(end);
}

// Word: spans, list starts and levels, numbering ids, merges, widths.
const WORD_NUMBERS = /<w:(?:gridSpan|start|startOverride|ilvl|numId|abstractNumId|lvlRestart|outlineLvl|gridCol|tblW|tcW)\b[^>]*?w:(?:val|w)="([^"]*)"/dg;
// HTML: the attributes that carry counts.
const HTML_NUMBERS = /\b(?:colspan|rowspan|start|value|span)="([^"]*)"/dgi;
// PDF: lengths, counts, cross-reference widths, and tagged-table spans.
const PDF_NUMBERS = /\/(?:Length|Count|Size|N|First|W \[\d+|ColSpan|RowSpan|Columns|Predictor|BitsPerComponent|Width|Height)\s+(-?\d+)/dg;

let bombCache: Uint8Array | undefined;
/** A content stream of two Flate layers that inflates to 300 MiB (about 1 KB on disk). */
function flateBomb(): Uint8Array {
  bombCache ??= deflateSync(deflateSync(Buffer.alloc(300 * 2 ** 20, 0x20), { level: 9 }), { level: 9 });
  return bombCache;
}

const structuralPdf = {
  'pdf-number'(b: Uint8Array, rng: Rng): Uint8Array {
    const text = Buffer.from(b).toString('latin1');
    const out = hostileAttribute(text, PDF_NUMBERS, rng);
    return out === null ? byteMutations.number(b, rng) : Buffer.from(out, 'latin1');
  },
  'pdf-nesting'(b: Uint8Array, rng: Rng): Uint8Array {
    // Deep arrays or dictionaries inside an object.
    const text = Buffer.from(b).toString('latin1');
    const at = text.indexOf(' obj', int(rng, Math.max(1, text.length - 10)));
    const open = rng() < 0.5 ? '['.repeat(5000 + int(rng, 50000)) : '<< /A '.repeat(2000 + int(rng, 20000));
    const pos = at < 0 ? int(rng, text.length) : at + 4;
    return Buffer.from(text.slice(0, pos) + ' ' + open + text.slice(pos), 'latin1');
  },
  'pdf-bomb'(b: Uint8Array, rng: Rng): Uint8Array {
    // The first content stream (or any stream) replaced by one that inflates past the limit.
    const text = Buffer.from(b).toString('latin1');
    const streams = [...text.matchAll(/<<([^]*?)>>\s*stream\r?\n/g)];
    if (!streams.length) return b;
    const s = pick(rng, streams);
    const end = text.indexOf('endstream', s.index! + s[0].length);
    if (end < 0) return b;
    const bomb = flateBomb();
    const dict = `<< /Filter [/FlateDecode /FlateDecode] /Length ${pick(rng, [String(bomb.length), '1000000000000', '-1'])} >>\nstream\n`;
    return concat(b.subarray(0, s.index!), Buffer.from(dict, 'latin1'), bomb, Buffer.from('\n', 'latin1'), b.subarray(end));
  },
};

const structuralHtml = {
  'html-number'(b: Uint8Array, rng: Rng): Uint8Array {
    const text = Buffer.from(b).toString('utf8');
    const out = hostileAttribute(text, HTML_NUMBERS, rng);
    if (out !== null) return strToU8(out);
    // No count attribute: give a cell one.
    const cells = [...text.matchAll(/<(td|th|ol)\b/g)];
    if (!cells.length) return b;
    const c = pick(rng, cells);
    const attr = c[1] === 'ol' ? 'start' : pick(rng, ['colspan', 'rowspan']);
    const at = c.index! + c[0].length;
    return strToU8(`${text.slice(0, at)} ${attr}="${pick(rng, HOSTILE_NUMBERS)}"${text.slice(at)}`);
  },
  'html-nesting'(b: Uint8Array, rng: Rng): Uint8Array {
    const text = Buffer.from(b).toString('utf8');
    const n = 1000 + int(rng, 20000);
    const open = pick(rng, ['<div>', '<table><tr><td>', '<ol><li>', '<b><i>']);
    const at = Math.max(0, text.indexOf('<body'));
    const close = text.indexOf('>', at) + 1;
    return strToU8(text.slice(0, close) + open.repeat(n) + 'deep' + text.slice(close));
  },
};

type ByteMutation = keyof typeof byteMutations;
const BYTE_MUTATIONS = Object.keys(byteMutations) as ByteMutation[];

// Damage inside a .docx: to one entry, then re-zipped; or to the zip directory itself.
const ZIP_DAMAGE = ['entry-bytes', 'entry-truncate', 'entry-drop', 'entry-garbage', 'xml-tags', 'directory', 'word-number', 'word-number', 'word-nesting', 'declared-size'] as const;

function damageZip(b: Uint8Array, rng: Rng, other: Uint8Array): { bytes: Uint8Array; how: string } {
  const kind = pick(rng, ZIP_DAMAGE);
  if (kind === 'declared-size') {
    // A central-directory or local header that states a size other than the real one.
    const out = b.slice();
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    const heads: Array<[number, number]> = [];
    for (let i = 0; i + 30 < out.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x02014b50 && i + 28 <= out.length) heads.push([i, 24]);
      else if (sig === 0x04034b50) heads.push([i, 22]);
    }
    if (!heads.length) return { bytes: byteMutations.flip(b, rng), how: 'zip:declared-size' };
    for (let k = 0; k < 1 + int(rng, 3); k++) {
      const [at, field] = pick(rng, heads);
      view.setUint32(at + field, pick(rng, [0, 1, 100, 0x7fffffff, 0xfffffff0, 0xffffffff]), true);
    }
    return { bytes: out, how: 'zip:declared-size' };
  }
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
    case 'word-number': {
      const text = Buffer.from(data).toString('utf8');
      const out = hostileAttribute(text, WORD_NUMBERS, rng);
      files[name] = out === null ? byteMutations.number(data, rng) : strToU8(out);
      break;
    }
    case 'word-nesting': {
      // Tables nested thousands deep inside a cell, or runs inside runs.
      const text = Buffer.from(data).toString('utf8');
      const at = text.indexOf('<w:tc>');
      const n = 500 + int(rng, 5000);
      const open = pick(rng, ['<w:tbl><w:tr><w:tc>', '<w:p><w:r><w:t>x</w:t></w:r>']);
      files[name] = at < 0 ? byteMutations.flip(data, rng) : strToU8(text.slice(0, at + 6) + open.repeat(n) + text.slice(at + 6));
      break;
    }
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
  ext: 'pdf' | 'docx' | 'html';
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
    const ext = base.name.endsWith('.docx') ? 'docx' : base.name.endsWith('.html') ? 'html' : 'pdf';
    let bytes = base.bytes;
    const steps: string[] = [];
    // Structure-aware attacks for a third of the PDFs and HTML pages (the .docx ones are among the zip damage kinds).
    const structural = ext === 'pdf' ? structuralPdf : ext === 'html' ? structuralHtml : null;
    if (structural && rng() < 0.35) {
      // Bombs are the costly case to check (256 MiB inflated each): one attack in five.
      const m = pick(rng, ext === 'pdf' ? ['pdf-number', 'pdf-number', 'pdf-number', 'pdf-nesting', 'pdf-bomb'] : Object.keys(structural));
      bytes = (structural as Record<string, (b: Uint8Array, r: Rng) => Uint8Array>)[m](bytes, rng);
      steps.push(m);
    } else if (ext === 'docx' && rng() < 0.5) {
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
