// The one module that imports tesseract.js. It reads greyscale page rasters
// and returns words with boxes in raster pixels. The English model ships in the
// @tesseract.js-data/eng package and is read from its folder: nothing is
// fetched, and nothing is cached on disk (cacheMethod "none").
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Tesseract from 'tesseract.js';
import { RectraceError } from '../../errors.js';

const require = createRequire(import.meta.url);
/** The integer-quantised "best" LSTM model (the one tesseract.js itself uses for LSTM-only recognition). */
const langPath = join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');

export interface OcrWord {
  text: string;
  /** 0–100 */
  confidence: number;
  /** pixels, y down */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrLine {
  words: OcrWord[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** the baseline's y at x0 and at x1 (pixels) */
  base0: number;
  base1: number;
}

export interface GreyImage {
  width: number;
  height: number;
  data: Uint8Array;
  /** resolution, dots per inch */
  dpi: number;
}

export interface OcrReader {
  read(image: GreyImage): Promise<OcrLine[]>;
  close(): Promise<void>;
}

/** A binary PGM (P5): leptonica reads it without any image library. */
function pgm(image: GreyImage): Buffer {
  const header = Buffer.from(`P5\n${image.width} ${image.height}\n255\n`, 'latin1');
  return Buffer.concat([header, Buffer.from(image.data.buffer, image.data.byteOffset, image.width * image.height)]);
}

export async function openOcr(): Promise<OcrReader> {
  let worker: Tesseract.Worker;
  try {
    worker = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      cacheMethod: 'none',
      logger: () => undefined,
      errorHandler: () => undefined,
    });
    // Whole pages: tesseract finds the blocks and columns itself.
    await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.AUTO, preserve_interword_spaces: '0' });
  } catch (err) {
    throw new RectraceError('pdf/no-text-layer', `the PDF has no text layer and OCR could not start: ${(err as Error)?.message ?? err}`, { cause: err });
  }
  return {
    async read(image) {
      const { data } = await worker.recognize(pgm(image), { user_defined_dpi: String(Math.round(image.dpi)) } as Partial<Tesseract.RecognizeOptions>, { blocks: true, text: false });
      const lines: OcrLine[] = [];
      for (const block of data.blocks ?? []) {
        for (const para of block.paragraphs ?? []) {
          for (const line of para.lines ?? []) {
            const words = (line.words ?? [])
              .filter((w) => w.text.trim())
              .map((w) => ({ text: w.text.trim(), confidence: w.confidence, x0: w.bbox.x0, y0: w.bbox.y0, x1: w.bbox.x1, y1: w.bbox.y1 }));
            if (!words.length) continue;
            lines.push({
              words,
              x0: line.bbox.x0,
              y0: line.bbox.y0,
              x1: line.bbox.x1,
              y1: line.bbox.y1,
              base0: line.baseline?.y0 ?? line.bbox.y1,
              base1: line.baseline?.y1 ?? line.bbox.y1,
            });
          }
        }
      }
      return lines;
    },
    async close() {
      await worker.terminate();
    },
  };
}
