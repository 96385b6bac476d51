// Format by content, never by extension: a PDF named .docx is a PDF. The
// extension only matters when the content has no signature of its own and the
// name promises a format that has one (a note saved as "report.docx").
import type { Format } from '../schema.js';
import { RectraceError } from '../errors.js';

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** "EncryptedPackage" as an OLE directory entry name (UTF-16LE): a password-protected OOXML file. */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

function indexOf(bytes: Uint8Array, magic: number[], limit: number): number {
  const end = Math.min(bytes.length - magic.length, limit);
  for (let i = 0; i <= end; i++) if (startsWith(bytes, magic, i)) return i;
  return -1;
}

/**
 * Where the PDF header is, or -1. The PDF spec (ISO 32000-1, annex H) lets
 * readers accept `%PDF-` anywhere in the first 1024 bytes, after junk a mail
 * gateway or a MacBinary wrapper put in front. Only binary junk counts: a text,
 * HTML or zip file that merely mentions "%PDF-" is not a PDF.
 */
function pdfHeaderAt(bytes: Uint8Array): number {
  if (startsWith(bytes, PDF_MAGIC)) return 0;
  if (startsWith(bytes, ZIP_MAGIC) || startsWith(bytes, OLE_MAGIC)) return -1;
  const at = indexOf(bytes, PDF_MAGIC, 1024);
  if (at < 0) return -1;
  const prefix = bytes.subarray(0, at);
  if (prefix.every((b) => b === 0x20 || (b >= 0x09 && b <= 0x0d))) return at; // blank lines a web server put first
  return looksLikeText(prefix, true) ? -1 : at;
}

/**
 * Extensions that promise a format with a signature of its own. (Not .doc:
 * Word's "save as web page" wrote HTML under that name, and it reads fine.)
 */
const SIGNED_EXTENSIONS: Record<string, string> = { pdf: 'a PDF', docx: 'a Word .docx', docm: 'a Word .docm' };

export function sniffFormat(bytes: Uint8Array, filename?: string): Format {
  if (bytes.length === 0) throw new RectraceError('input/empty', 'the file is empty');
  if (pdfHeaderAt(bytes) >= 0) return 'pdf';
  if (startsWith(bytes, ZIP_MAGIC)) return 'docx';
  if (startsWith(bytes, OLE_MAGIC)) {
    if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(ENCRYPTED_PACKAGE)) {
      throw new RectraceError('docx/encrypted', 'the Word document is password-protected; save a copy without a password');
    }
    throw new RectraceError('input/unsupported-format', 'legacy binary Word/Office file (.doc); save it as .docx or PDF');
  }
  const format = sniffText(bytes);
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(filename ?? '')?.[1].toLowerCase();
  if (ext && SIGNED_EXTENSIONS[ext]) {
    throw new RectraceError(
      'input/format-mismatch',
      `named .${ext} but the content is ${format === 'html' ? 'an HTML page' : 'plain text'}, not ${SIGNED_EXTENSIONS[ext]}; rename it if it is meant as ${format}`,
    );
  }
  return format;
}

/** HTML or text, whatever the encoding an HTML page declares; else unsupported. */
function sniffText(bytes: Uint8Array): Format {
  // UTF-16 with a byte-order mark: decode before looking.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    const text = new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2, 16384));
    if (isHtmlStart(text)) return 'html';
    if (looksLikeText(Buffer.from(text, 'utf8'), false)) return 'text';
    throw new RectraceError('input/unsupported-format', 'not a PDF, Word (.docx), HTML or text file');
  }
  const sample = bytes.subarray(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0, 8192);
  // HTML in a legacy encoding (windows-1252, Shift_JIS…) starts with ASCII markup; its decoder honours <meta charset>.
  if (isHtmlStart(Buffer.from(sample).toString('latin1')) && looksLikeText(sample, true)) return 'html';
  if (!looksLikeText(sample, false)) throw new RectraceError('input/unsupported-format', 'not a PDF, Word (.docx), HTML or text file');
  return isHtmlStart(new TextDecoder('utf-8').decode(sample)) ? 'html' : 'text';
}

function isHtmlStart(decoded: string): boolean {
  const text = decoded.trimStart().slice(0, 2048).toLowerCase();
  return /^<!doctype html|^<html[\s>]|^<\?xml[^>]*>\s*<html|<(body|table|head)[\s>]/.test(text);
}

/** Few control bytes and no NUL; with `anyEncoding` false it must also be valid UTF-8. */
function looksLikeText(sample: Uint8Array, anyEncoding: boolean): boolean {
  if (sample.length === 0) return anyEncoding;
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (control / sample.length > 0.02) return false;
  if (anyEncoding) return true;
  // Invalid UTF-8 (random bytes) fails here; Latin-1 prose would too, rarely.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, Math.max(0, sample.length - 4)));
    return true;
  } catch {
    return false;
  }
}
