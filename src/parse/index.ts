// Format → parser. Parsers load lazily so a text-only run never loads pdf.js.
import type { DocModel, Format } from '../schema.js';
import type { Result } from '../result.js';

export interface ParseOptions {
  signal?: AbortSignal;
  /** PDF pages without a text layer are read by OCR unless this is false. */
  ocr?: boolean;
  onOcr?: (pages: number) => void;
}

export async function parseDocument(format: Format, bytes: Uint8Array, options: ParseOptions = {}): Promise<Result<DocModel>> {
  switch (format) {
    case 'pdf': {
      const { readPdf } = await import('./pdf/index.js');
      return readPdf(bytes, { signal: options.signal, ocr: options.ocr, onOcr: options.onOcr });
    }
    case 'docx': {
      const { readDocx } = await import('./docx/index.js');
      return readDocx(bytes);
    }
    case 'html': {
      const { readHtml } = await import('./html/index.js');
      return readHtml(bytes);
    }
    case 'text': {
      const { readText } = await import('./text/index.js');
      return readText(bytes);
    }
  }
}
