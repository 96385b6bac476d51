// Word .docx → DocModel. Order matters: the zip is inspected (bomb guard)
// before mammoth or fflate inflates anything.
import type { DocModel } from '../../schema.js';
import type { Result } from '../../result.js';
import { RectraceError } from '../../errors.js';
import { inspectZip, readZipTexts } from './zip.js';
import { loadDocx } from './load.js';
import { readStyles } from './styles.js';
import { NumberingCounter, readNumberingDefs } from './numbering.js';
import { toDocModel } from './to-model.js';
import { child, parseXml, textOf } from './xml.js';

export { inspectZip, ZIP_LIMITS } from './zip.js';

function readCoreProps(xml: string | undefined): { title?: string; date?: string } {
  if (!xml) return {};
  try {
    const props = child(parseXml(xml), 'cp:coreProperties');
    const title = textOf(child(props, 'dc:title')).trim();
    const created = textOf(child(props, 'dcterms:created')).trim();
    const date = /^(\d{4}-\d{2}-\d{2})/.exec(created)?.[1];
    return { ...(title ? { title } : {}), ...(date ? { date } : {}) };
  } catch {
    return {}; // broken properties do not make the document unreadable
  }
}

function parsePart<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new RectraceError('docx/corrupt', `${name} is not well-formed XML: ${(err as Error).message}`, { cause: err });
  }
}

export async function readDocx(bytes: Uint8Array): Promise<Result<DocModel>> {
  inspectZip(bytes);
  const parts = readZipTexts(bytes, ['word/styles.xml', 'word/numbering.xml', 'docProps/core.xml']);
  const styles = parsePart('word/styles.xml', () => readStyles(parts['word/styles.xml']));
  const defs = parsePart('word/numbering.xml', () => readNumberingDefs(parts['word/numbering.xml']));
  const { document } = await loadDocx(bytes);
  const model = toDocModel({
    document,
    counter: new NumberingCounter(defs, styles),
    styles,
    meta: readCoreProps(parts['docProps/core.xml']),
  });
  return { value: model, messages: model.messages };
}
