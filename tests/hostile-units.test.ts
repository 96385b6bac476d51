// Issue 13, stage by stage: each reader bounds what a file says about itself,
// sniffing reads signatures where they belong, and input problems get stable codes.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { sniffFormat } from '../src/ingest/sniff.js';
import { readInput, sha256 } from '../src/ingest/read.js';
import { readDocx } from '../src/parse/docx/index.js';
import { readHtml } from '../src/parse/html/index.js';
import { checkPdfStreams } from '../src/parse/pdf/streams.js';
import { countInflatedBytes } from '../src/parse/docx/zip.js';
import { extractInput, readDocumentJson } from '../src/pipeline.js';
import { writeFileAtomic } from '../src/emit/files.js';
import { RectraceError } from '../src/errors.js';
import { LIMITS } from '../src/limits.js';
import type { ModelTable } from '../src/schema.js';

const H = (name: string) => new Uint8Array(readFileSync(path.join('fixtures/hostile', name)));
const tmp = () => mkdtempSync(path.join(tmpdir(), 'rectrace-units-'));
const codeOf = async (f: () => unknown) => {
  try {
    await f();
    return 'ok';
  } catch (err) {
    return err instanceof RectraceError ? err.code : `not a RectraceError: ${String(err)}`;
  }
};
const extract = (name: string, bytes = H(name)) => extractInput({ path: name, filename: name, bytes, sha256: sha256(bytes) });
const tables = (blocks: { type: string }[]) => blocks.filter((b): b is ModelTable => b.type === 'table');

describe('spans and counts are bounded where they are read', () => {
  for (const [name, given] of [
    ['gridspan-1e9.docx', '1000000000'],
    ['gridspan-abc.docx', 'abc'],
    ['gridspan-401-digits.docx', '401 nines'],
  ] as const) {
    it(`Word gridSpan ${given}: a bounded integer span and a coded warning`, async () => {
      const { value } = await readDocx(H(name));
      const [t] = tables(value.blocks);
      const spans = t.rows.flatMap((r) => r.cells.map((c) => c.colSpan));
      for (const s of spans) expect(Number.isInteger(s) && s >= 1 && s <= LIMITS.wordColumns).toBe(true);
      expect(value.messages.map((m) => m.code)).toContain('docx/span-invalid');
      const doc = await extract(name);
      expect(doc.recommendations.map((r) => r.number)).toEqual(['1', '2', '3']);
      expect(Buffer.byteLength(JSON.stringify(doc))).toBeLessThan(200_000);
    });
  }

  it('HTML colspan/rowspan that are huge, negative or not numbers', () => {
    const html = `<table><tr><th>No.</th><th>Recommendation</th></tr>
      <tr><td colspan="1000000000" rowspan="-4">note</td></tr><tr><td colspan="NaN" rowspan="9007199254740992">1</td><td colspan="-1">Do this.</td></tr></table>`;
    const [t] = tables(readHtml(new TextEncoder().encode(html)).value.blocks);
    const cells = t.rows.flatMap((r) => r.cells);
    for (const c of cells) {
      expect(Number.isInteger(c.colSpan) && c.colSpan >= 1 && c.colSpan <= LIMITS.columns).toBe(true);
      expect(Number.isInteger(c.rowSpan) && c.rowSpan >= 1 && c.rowSpan <= t.rows.length).toBe(true);
    }
  });

  it('Word numbering that starts at 2^53 or names level 10^9 gives bounded labels', async () => {
    const { value } = await readDocx(H('numbering-2pow53.docx'));
    const labels = value.blocks.flatMap((b) => (b.type === 'paragraph' && b.numberLabel ? [b.numberLabel] : []));
    expect(labels.length).toBeGreaterThan(2);
    for (const l of labels) expect(l.length).toBeLessThan(20);
    expect(labels[0]).toBe(`${LIMITS.counter}.`);
    expect(await codeOf(() => extract('numbering-2pow53.docx'))).toBe('ok');
  });

  it('a 1,000,000-row text export fails as input/too-large, not a stack overflow', async () => {
    const lines = ['Improvement Review', '', 'No.\tRecommendation\tResponse'];
    for (let i = 1; i <= 1_000_000; i++) lines.push(`${i}\tThe council should review item ${i}.\tAccepted.`);
    const bytes = new TextEncoder().encode(lines.join('\n'));
    expect(await codeOf(() => extract('rows.txt', bytes))).toBe('input/too-large');
  }, 60_000);

  it('deep HTML nesting is read (its depth cut), not a stack overflow', async () => {
    expect((await extract('deep-nesting.html')).recommendations).toHaveLength(3);
  });
});

describe('decompression is counted as it happens', () => {
  it('a zip entry that inflates past its declared size stops at once (docx/too-large)', async () => {
    const t = performance.now();
    expect(await codeOf(() => countInflatedBytes(H('lying-sizes.docx')))).toBe('docx/too-large');
    expect(await codeOf(() => readDocx(H('lying-sizes.docx')))).toBe('docx/too-large');
    expect(performance.now() - t).toBeLessThan(10_000);
  });

  it('a PDF stream of two Flate layers inflating to 1 GiB is refused before pdf.js (input/too-large)', async () => {
    expect(await codeOf(() => checkPdfStreams(H('flate-bomb.pdf')))).toBe('input/too-large');
    expect(await codeOf(() => extract('flate-bomb.pdf'))).toBe('input/too-large');
  });

  it('ordinary streams pass and are counted; a /Length of 10^12 is not trusted', () => {
    const content = Buffer.from('BT (hello) Tj ET\n'.repeat(100));
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj\n<< /Filter /FlateDecode /Length 1000000000000 >>\nstream\n'), deflateSync(content), Buffer.from('\nendstream\nendobj\n')]);
    expect(checkPdfStreams(pdf)).toBe(content.length);
    expect(checkPdfStreams(H('huge-length.pdf'))).toBeGreaterThan(0);
  });
});

describe('format sniffing', () => {
  it('"%PDF-" inside a .docx, an HTML page or a text file does not make a PDF', () => {
    expect(sniffFormat(H('mentions-pdf.docx'), 'mentions-pdf.docx')).toBe('docx');
    expect(sniffFormat(H('mentions-pdf.html'))).toBe('html');
    expect(sniffFormat(H('mentions-pdf.txt'))).toBe('text');
  });

  it('a PDF header after binary junk or blank lines in the first KiB is still a PDF (the spec tolerance)', async () => {
    const pdf = readFileSync('fixtures/pdf/seed-2023-ruled.pdf');
    expect(sniffFormat(Buffer.concat([Buffer.from([0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00]), pdf]))).toBe('pdf');
    expect(sniffFormat(Buffer.concat([Buffer.from('\r\n\n'), pdf]))).toBe('pdf');
    expect(await codeOf(() => sniffFormat(Buffer.concat([Buffer.alloc(1100, 0), pdf])))).toBe('input/unsupported-format');
  });

  it('text named .docx or .pdf fails as input/format-mismatch; content with a signature wins over the name', async () => {
    expect(await codeOf(() => sniffFormat(H('text-named.docx'), 'text-named.docx'))).toBe('input/format-mismatch');
    expect(await codeOf(() => sniffFormat(new TextEncoder().encode('<!doctype html><p>hi</p>'), 'x.pdf'))).toBe('input/format-mismatch');
    expect(sniffFormat(readFileSync('fixtures/bad/pdf-named.docx'), 'pdf-named.docx')).toBe('pdf');
  });

  it('UTF-16 (BOM), windows-1252 and Shift_JIS HTML are HTML, decoded by their declared encoding', async () => {
    for (const name of ['utf16.html', 'windows-1252.html', 'shift-jis.html']) expect([name, sniffFormat(H(name))]).toEqual([name, 'html']);
    const cp1252 = await extract('windows-1252.html');
    expect(cp1252.recommendations[3].text).toBe('The café should stay open for "drop-in" sessions.');
    const sjis = await extract('shift-jis.html');
    expect(sjis.recommendations[3].text).toContain('テスト');
    expect((await extract('utf16.html')).recommendations).toHaveLength(3);
  });

  it('a password-protected .docx (OLE container with EncryptedPackage) is docx/encrypted, not a legacy .doc', async () => {
    expect(await codeOf(() => sniffFormat(H('encrypted.docx'), 'encrypted.docx'))).toBe('docx/encrypted');
    const plainOle = new Uint8Array(1024);
    plainOle.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await codeOf(() => sniffFormat(plainOle, 'old.doc'))).toBe('input/unsupported-format');
  });
});

describe('HTML clean text', () => {
  it('keeps a literal <name>, decodes &amp;amp; once, and drops bidi controls (orig keeps them)', async () => {
    const recs = (await extract('text-escapes.html')).recommendations;
    expect(recs[0].text).toBe('Replace the <name> placeholder in every letter template.');
    expect(recs[1].text).toBe('Write &amp; as the escape for an ampersand in the web forms.');
    expect(recs[2].text).toBe('Publish the Arabic and Hebrew summaries alongside the English.');
    expect(recs[2].orig).toMatch(/\u202e/);
  });
});

describe('inputs that are not regular files', () => {
  it('a FIFO and /dev/zero fail at once with input/not-a-file', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'pipe.txt');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const t = performance.now();
    expect(await codeOf(() => readInput(fifo))).toBe('input/not-a-file');
    expect(await codeOf(() => readInput('/dev/zero'))).toBe('input/not-a-file');
    expect(await codeOf(() => readInput(path.join(dir, 'missing.txt')))).toBe('input/not-found');
    expect(performance.now() - t).toBeLessThan(5000);
  });

  it('a read stops at --max-size', async () => {
    const dir = tmp();
    const f = path.join(dir, 'big.txt');
    writeFileSync(f, 'x'.repeat(5000));
    expect(await codeOf(() => readInput(f, 4999))).toBe('input/too-large');
    expect((await readInput(f, 5000)).bytes.length).toBe(5000);
  });
});

describe('readDocumentJson', () => {
  it('throws RectraceError with a stable code for missing, empty, truncated and foreign JSON', async () => {
    const dir = tmp();
    const file = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    expect(await codeOf(() => readDocumentJson(path.join(dir, 'nope.json')))).toBe('input/not-found');
    expect(await codeOf(() => readDocumentJson(file('empty.json', '')))).toBe('input/not-document-json');
    expect(await codeOf(() => readDocumentJson(file('cut.json', '{"schemaVersion": "1.')))).toBe('input/not-document-json');
    expect(await codeOf(() => readDocumentJson(file('other.json', '{"hello": 1}')))).toBe('input/not-document-json');
    expect(await codeOf(() => readDocumentJson(dir))).toBe('input/unreadable');
  });
});

describe('writing outputs', () => {
  it('never writes through a planted link: temporaries are exclusive and unpredictable, a linked target is replaced', async () => {
    const dir = tmp();
    const outside = path.join(dir, 'outside');
    const out = path.join(dir, 'out');
    mkdirSync(outside);
    mkdirSync(out);
    // Links planted under every name the old scheme (.NAME.<pid>.<n>.tmp) would have used first.
    for (let n = 0; n < 50; n++) {
      writeFileSync(path.join(outside, `victim${n}`), 'precious');
      symlinkSync(path.join(outside, `victim${n}`), path.join(out, `.doc.json.${process.pid}.${n}.tmp`));
    }
    writeFileSync(path.join(outside, 'target'), 'precious');
    symlinkSync(path.join(outside, 'target'), path.join(out, 'doc.json'));
    for (let i = 0; i < 3; i++) await writeFileAtomic(path.join(out, 'doc.json'), `{"n": ${i}}`);
    for (const name of readdirSync(outside)) expect(readFileSync(path.join(outside, name), 'utf8')).toBe('precious');
    expect(lstatSync(path.join(out, 'doc.json')).isSymbolicLink()).toBe(false);
    expect(readFileSync(path.join(out, 'doc.json'), 'utf8')).toBe('{"n": 2}');
  });
});

describe('--verbose', () => {
  it('passes an internal error\'s stack to the progress callback, never into manifest.json', async () => {
    const { runBatch } = await import('../src/pipeline.js');
    const dir = tmp();
    writeFileSync(path.join(dir, 'a.txt'), 'boom');
    const out = path.join(dir, 'out');
    const stacks: string[] = [];
    process.env.RECTRACE_VERBOSE = '1';
    try {
      const result = await runBatch([path.join(dir, 'a.txt')], {
        outDir: out,
        workers: false,
        extract: async () => {
          throw new TypeError('a programmer error');
        },
        onProgress: (p) => p.stack && stacks.push(p.stack),
      });
      expect(result.manifest.documents[0].error?.code).toBe('internal/error');
    } finally {
      delete process.env.RECTRACE_VERBOSE;
    }
    expect(stacks).toHaveLength(1);
    expect(stacks[0]).toMatch(/TypeError: a programmer error\n\s+at /);
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).not.toMatch(/stack|\bat /);
  });
});
