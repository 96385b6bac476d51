// HTML publication → DocModel (text only; see to-model.ts for the choices).
import type { DocModel } from '../../schema.js';
import type { Result } from '../../result.js';
import { parseHtmlDom } from './dom.js';
import { htmlToDocModel } from './to-model.js';

/** Decodes by BOM, then a <meta charset> in the first bytes, else UTF-8. */
export function decodeHtml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 2048));
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  if (m) {
    try {
      return new TextDecoder(m[1].toLowerCase()).decode(bytes);
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
