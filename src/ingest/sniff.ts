// Format by content, never by extension: a PDF named .docx is a PDF.
import type { Format } from '../schema.js';
import { RectraceError } from '../errors.js';

const PDF_MAGIC = '%PDF-';
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: number[], at = 0): boolean {
  return magic.every((b, i) => bytes[at + i] === b);
}

export function sniffFormat(bytes: Uint8Array): Format {
  if (bytes.length === 0) throw new RectraceError('input/empty', 'the file is empty');
  // PDF readers accept the header anywhere in the first 1 KiB.
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (head.includes(PDF_MAGIC)) return 'pdf';
  if (startsWith(bytes, ZIP_MAGIC)) return 'docx';
  if (startsWith(bytes, OLE_MAGIC)) {
    throw new RectraceError('input/unsupported-format', 'legacy binary Word/Office file (.doc); save it as .docx or PDF');
  }
  const sample = bytes.subarray(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0, 8192);
  if (!looksLikeText(sample)) throw new RectraceError('input/unsupported-format', 'not a PDF, Word (.docx), HTML or text file');
  const text = new TextDecoder('utf-8').decode(sample).trimStart().slice(0, 2048).toLowerCase();
  if (/^<!doctype html|^<html[\s>]|^<\?xml[^>]*>\s*<html|<(body|table|head)[\s>]/.test(text)) return 'html';
  return 'text';
}

function looksLikeText(sample: Uint8Array): boolean {
  if (sample.length === 0) return false;
  let control = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (control / sample.length > 0.02) return false;
  // Invalid UTF-8 (random bytes) fails here; Latin-1 prose would too, rarely.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, Math.max(0, sample.length - 4)));
    return true;
  } catch {
    return false;
  }
}
