// The one fflate user: look at a .docx's zip central directory before anything
// inflates it (zip-bomb guard), and read the few small XML parts mammoth's
// document model does not carry (numbering, styles, core properties).
import { unzipSync, strFromU8 } from 'fflate';
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
  return entries;
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
