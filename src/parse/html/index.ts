// HTML publication → DocModel (text only; see to-model.ts for the choices).
import type { DocModel } from '../../schema.js';
import type { Result } from '../../result.js';
import { parseHtmlDom } from './dom.js';
import { htmlToDocModel } from './to-model.js';

// The WHATWG Encoding standard reads all these labels as windows-1252; Node's
// TextDecoder decodes them as ISO-8859-1, turning curly quotes and dashes
// (0x80–0x9f) into control characters.
const WINDOWS_1252_LABELS = new Set(['windows-1252', 'cp1252', 'x-cp1252', 'latin1', 'iso-8859-1', 'iso8859-1', 'iso_8859-1', 'l1', 'ascii', 'us-ascii', 'ansi_x3.4-1968', 'cp819', 'ibm819']);
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]);
}

/** Decodes by BOM, then a <meta charset> in the first bytes, else UTF-8. */
export function decodeHtml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  if (m) {
    const label = m[1].toLowerCase();
    if (WINDOWS_1252_LABELS.has(label)) return decodeWindows1252(bytes);
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // unknown label: fall through to UTF-8
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

export function readHtml(bytes: Uint8Array): Result<DocModel> {
  const { root, truncated } = parseHtmlDom(decodeHtml(bytes));
  const model = htmlToDocModel(root, truncated);
  return { value: model, messages: model.messages };
}
