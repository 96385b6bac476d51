// Through parse/inflate.ts (the one fflate importer): look at a .docx's zip central directory before anything
// inflates it (zip-bomb guard), and read the few small XML parts mammoth's
// document model does not carry (numbering, styles, core properties).
import { countInflated, InflateOverflow, strFromU8, unzipSync } from '../inflate.js';
import { RectraceError } from '../../errors.js';

export const ZIP_LIMITS = {
  totalBytes: 200 * 1024 * 1024,
  entries: 5000,
  ratio: 200,
  /** Only entries at least this large count for the ratio test: tiny XML parts compress very well. */
  ratioMinBytes: 1024 * 1024,
};

export interface ZipEntryInfo {
  name: string;
  size: number;
  originalSize: number;
}

/** Lists entries from the central directory without inflating any. Throws docx/corrupt or docx/too-large. */
export function inspectZip(bytes: Uint8Array, limits = ZIP_LIMITS): ZipEntryInfo[] {
  const entries: ZipEntryInfo[] = [];
  try {
    unzipSync(bytes, {
      filter(file) {
        entries.push({ name: file.name, size: file.size, originalSize: file.originalSize });
        return false;
      },
    });
  } catch (err) {
    throw new RectraceError('docx/corrupt', `not a readable zip archive: ${(err as Error).message}`, { cause: err });
  }
  if (entries.length > limits.entries) {
    throw new RectraceError('docx/too-large', `zip has ${entries.length} entries (limit ${limits.entries})`);
  }
  let total = 0;
  for (const e of entries) {
    total += e.originalSize;
    if (e.originalSize >= limits.ratioMinBytes && e.originalSize > limits.ratio * Math.max(1, e.size)) {
      throw new RectraceError(
        'docx/too-large',
        `zip entry ${e.name} inflates ${Math.round(e.originalSize / Math.max(1, e.size))}:1 (limit ${limits.ratio}:1)`,
      );
    }
  }
  if (total > limits.totalBytes) {
    throw new RectraceError('docx/too-large', `zip inflates to ${total} bytes (limit ${limits.totalBytes})`);
  }
  if (!entries.some((e) => e.name === 'word/document.xml')) {
    throw new RectraceError('docx/corrupt', 'zip has no word/document.xml');
  }
  countInflatedBytes(bytes, limits);
  return entries;
}

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u32 = (b: Uint8Array, i: number) => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;


/**
 * The sizes a zip declares can lie. Inflates every entry as the unzipper that
 * follows (mammoth's) will, counting bytes as they come and keeping none: an
 * entry that inflates past its declared size, or a total past the limit, stops
 * at once (docx/too-large) instead of after gigabytes.
 */
export function countInflatedBytes(bytes: Uint8Array, limits = ZIP_LIMITS): number {
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (u32(bytes, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new RectraceError('docx/corrupt', 'zip has no end of central directory');
  const count = u16(bytes, eocd + 10);
  let at = u32(bytes, eocd + 16);
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || u32(bytes, at) !== 0x02014b50) throw new RectraceError('docx/corrupt', 'zip central directory is damaged');
    const method = u16(bytes, at + 10);
    const compressed = u32(bytes, at + 20);
    const declared = u32(bytes, at + 24);
    const nameLength = u16(bytes, at + 28);
    const next = at + 46 + nameLength + u16(bytes, at + 30) + u16(bytes, at + 32);
    const local = u32(bytes, at + 42);
    const name = strFromU8(bytes.subarray(at + 46, at + 46 + nameLength));
    at = next;
    if (compressed === 0xffffffff || declared === 0xffffffff || local === 0xffffffff) {
      throw new RectraceError('docx/too-large', `zip entry ${name} uses 4 GB (zip64) sizes`);
    }
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50) continue; // the unzipper reports it
    const start = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    const data = bytes.subarray(start, Math.min(bytes.length, start + compressed));
    if (method === 0) {
      total += data.length;
    } else if (method === 8) {
      try {
        // Each entry may inflate to what it declares, and never past what is left of the total.
        total += countInflated(data, { limit: Math.min(declared, limits.totalBytes - total), zlib: false });
      } catch (err) {
        if (!(err instanceof InflateOverflow)) throw err;
        throw new RectraceError(
          'docx/too-large',
          declared <= limits.totalBytes - total ? `zip entry ${name} inflates past the ${declared} bytes it declares` : `zip inflates past ${limits.totalBytes} bytes`,
        );
      }
    }
    if (total > limits.totalBytes) throw new RectraceError('docx/too-large', `zip inflates past ${limits.totalBytes} bytes`);
  }
  return total;
}

/** Inflates the named entries that exist; returns their text (UTF-8). */
export function readZipTexts(bytes: Uint8Array, names: string[]): Record<string, string> {
  const wanted = new Set(names);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => wanted.has(f.name) });
  } catch (err) {
    throw new RectraceError('docx/corrupt', `cannot inflate zip entries: ${(err as Error).message}`, { cause: err });
  }
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(files)) out[name] = strFromU8(data).replace(/^\uFEFF/, '');
  return out;
}
