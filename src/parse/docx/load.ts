// The one mammoth importer. mammoth reads the Word text and structure (runs,
// fields, hyperlinks, tables with gridSpan/vMerge/tblHeader, nested tables,
// deleted-paragraph merging) into its document model, which we take through the
// public `transformDocument` hook. Its model keeps a paragraph's numbering level
// but not which list (w:numId) it belongs to, which is what Word's counters need,
// so we wrap mammoth's numbering lookup to also return the numId and level it was
// asked for. The wrap only adds fields to a fresh object; mammoth's own output
// is unchanged.
import { createRequire } from 'node:module';
import mammoth from 'mammoth';
import { RectraceError } from '../../errors.js';

/** The subset of mammoth's document model that we read. */
export interface MNode {
  type: string;
  children?: MNode[];
  value?: string;
  breakType?: string;
  checked?: boolean;
  verticalAlignment?: string;
  styleId?: string | null;
  styleName?: string | null;
  numbering?: { isOrdered?: boolean; level?: string; numId?: string; ilvl?: string } | null;
  isHeader?: boolean;
  /** Runs: direct bold and italic formatting. */
  isBold?: boolean;
  isItalic?: boolean;
  colSpan?: number;
  rowSpan?: number;
}

const require = createRequire(import.meta.url);
let wrapped = false;

function wrapNumbering(): void {
  if (wrapped) return;
  wrapped = true;
  let numberingXml: {
    readNumberingXml: (root: unknown, options: unknown) => {
      findLevel: (numId: string, level: string) => object | null;
      findLevelByParagraphStyleId: (styleId: string) => object | null;
    };
  };
  try {
    numberingXml = require('mammoth/lib/docx/numbering-xml');
  } catch {
    // A mammoth without this module: text still reads; only lists numbered
    // directly on paragraphs lose their labels (style numbering still works).
    return;
  }
  const original = numberingXml.readNumberingXml;
  if (typeof original !== 'function') return;
  numberingXml.readNumberingXml = (root, options) => {
    const numbering = original(root, options);
    return {
      ...numbering,
      findLevel(numId: string, level: string) {
        // numId 0 switches off numbering a paragraph style would give; mammoth
        // reads it as "no list", which would hide that it was said at all.
        if (numId === '0') return { isOrdered: false, level, numId, ilvl: level };
        const found = numbering.findLevel(numId, level);
        return found ? { ...found, numId, ilvl: level } : null;
      },
      findLevelByParagraphStyleId: (styleId: string) => numbering.findLevelByParagraphStyleId(styleId),
    };
  };
}

export interface LoadedDocx {
  document: MNode;
  warnings: string[];
}

/** Reads the document model; throws docx/corrupt when mammoth cannot. */
export async function loadDocx(bytes: Uint8Array): Promise<LoadedDocx> {
  wrapNumbering();
  let captured: MNode | undefined;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        // Keep the model and hand mammoth an empty body: we do not need its HTML.
        transformDocument: (doc: MNode) => {
          captured = doc;
          return { ...doc, children: [] };
        },
      },
    );
    if (!captured) throw new Error('mammoth produced no document');
    return {
      document: captured,
      warnings: result.messages.filter((m) => m.type === 'error').map((m) => m.message),
    };
  } catch (err) {
    if (err instanceof RectraceError) throw err;
    throw new RectraceError('docx/corrupt', `cannot read Word document: ${(err as Error).message}`, { cause: err });
  }
}

/** Benchmark anchor: mammoth's plain text extraction, the least a Word reader does. */
export async function extractRawTextAnchor(bytes: Uint8Array): Promise<string> {
  const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  return result.value;
}
