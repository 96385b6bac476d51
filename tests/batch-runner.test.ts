// The batch runner in-process: order, isolation, limits, names, re-runs, and
// the worker pool's real timeouts (with a stand-in worker script).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runBatch } from '../src/pipeline.js';
import { insideFolder, outputNameFor, TEMP_FILE, writeFileAtomic } from '../src/emit/files.js';
import { WorkerPool } from '../src/batch/worker-pool.js';
import { removeStaleTempFiles } from '../src/batch/previous.js';
import { RectraceError } from '../src/errors.js';
import { DocumentJson, SCHEMA_VERSION, type DocumentJson as DocumentJsonT } from '../src/schema.js';
import { GENERATOR } from '../src/version.js';
import type { InputFile } from '../src/ingest/read.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'rectrace-batch-unit-'));
const SHA = 'ab'.repeat(32);

// A minimal valid document for a stand-in extractor; `recs` placeholder
// recommendations (the runner only counts them).
function fakeDoc(input: InputFile, recs = 0): DocumentJsonT {
  const doc = DocumentJson.parse({
    schemaVersion: SCHEMA_VERSION,
    generator: GENERATOR,
    source: { id: input.sha256.slice(0, 16), path: input.path, filename: input.filename, format: 'text', sha256: input.sha256, bytes: input.bytes.length },
    document: {},
    tables: [],
    recommendations: [],
    messages: [],
  });
  return { ...doc, recommendations: new Array(recs).fill({}) as DocumentJsonT['recommendations'] };
}

function folderOf(names: Record<string, string>): string {
  const dir = tmp();
  for (const [name, text] of Object.entries(names)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('output names', () => {
  it('never leave the output folder, whatever the input is called', () => {
    const out = tmp();
    for (const p of ['../../x.pdf', '..\\..\\x.pdf', '/etc/passwd', 'a/../../../b.docx', '..', '.', '.hidden', 'réport ✓ <1>|?*.pdf', '\u0000.txt', 'x'.repeat(400) + '.pdf']) {
      const name = outputNameFor(p, SHA);
      expect(name).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/);
      expect(name.length).toBeLessThan(120);
      expect(path.dirname(insideFolder(out, name))).toBe(path.resolve(out));
    }
  });

  it('differ for the same name (and bytes) in two folders, and are stable', () => {
    expect(outputNameFor('a/report.pdf', SHA)).not.toBe(outputNameFor('b/report.pdf', SHA));
    expect(outputNameFor('a/report.pdf', SHA)).toBe(outputNameFor('a/report.pdf', SHA));
    expect(outputNameFor('a/report.pdf', SHA)).toMatch(/^report\.abababab-[0-9a-f]{6}\.json$/);
  });

  it('insideFolder refuses escapes', () => {
    const out = tmp();
    expect(() => insideFolder(out, '../x.json')).toThrow(/outside/);
    expect(() => insideFolder(out, '/tmp/x.json')).toThrow(/outside/);
    expect(() => insideFolder(out, '')).toThrow(/outside/);
    expect(insideFolder(out, 'a.json')).toBe(path.join(path.resolve(out), 'a.json'));
  });
});

describe('runBatch (in-process)', () => {
  it('keeps input order whatever order documents finish in, and isolates failures', async () => {
    const dir = folderOf({ 'a.txt': 'slow', 'b.txt': 'boom', 'c.txt': 'fast', 'd.txt': 'coded' });
    const out = tmp();
    const result = await runBatch([dir], {
      outDir: out,
      concurrency: 4,
      extract: async (input) => {
        const text = Buffer.from(input.bytes).toString();
        if (text === 'slow') await new Promise((r) => setTimeout(r, 80));
        if (text === 'boom') throw new TypeError('a programmer error');
        if (text === 'coded') throw new RectraceError('pdf/corrupt', 'bad\nbytes');
        return fakeDoc(input, 2);
      },
    });
    expect(result.manifest.documents.map((d) => path.basename(d.source))).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    expect(result.manifest.documents.map((d) => d.status)).toEqual(['ok', 'failed', 'ok', 'failed']);
    expect(result.manifest.documents[1].error).toEqual({ code: 'internal/error', message: 'a programmer error' });
    expect(result.manifest.documents[3].error).toEqual({ code: 'pdf/corrupt', message: 'bad bytes' });
    expect('stack' in result.manifest.documents[1]).toBe(false);
    expect(result.manifest.run.complete).toBe(true);
    expect(result.recommendations).toBe(4);
    const onDisk = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    expect(onDisk.documents).toEqual(result.manifest.documents);
  });

  it('fails a slow document alone with input/timeout', async () => {
    const dir = folderOf({ 'a.txt': 'hang', 'b.txt': 'fine' });
    const result = await runBatch([dir], {
      outDir: tmp(),
      timeoutMs: 100,
      extract: async (input, { signal }) => {
        if (Buffer.from(input.bytes).toString() === 'hang') await new Promise((r) => signal?.addEventListener('abort', r));
        return fakeDoc(input);
      },
    });
    expect(result.manifest.documents.map((d) => d.error?.code ?? d.status)).toEqual(['input/timeout', 'ok']);
  });

  it('fails an oversized file with input/too-large and a missing one with input/not-found', async () => {
    const dir = folderOf({ 'big.txt': 'x'.repeat(5000), 'small.txt': 'ok' });
    const result = await runBatch([dir, path.join(dir, 'missing.pdf')], { outDir: tmp(), maxBytes: 1000, extract: async (i) => fakeDoc(i) });
    expect(result.manifest.documents.map((d) => d.error?.code ?? d.status)).toEqual(['input/too-large', 'ok', 'input/not-found']);
  });

  it('re-runs skip unchanged documents, redo changed ones, and --force redoes all', async () => {
    const dir = folderOf({ 'a.txt': 'one', 'b.txt': 'two' });
    const out = tmp();
    let calls = 0;
    const extract = async (input: InputFile) => {
      calls++;
      return fakeDoc(input, 1);
    };
    await runBatch([dir], { outDir: out, extract });
    expect(calls).toBe(2);
    const again = await runBatch([dir], { outDir: out, extract });
    expect(calls).toBe(2);
    expect(again.skipped).toBe(2);
    expect(again.recommendations).toBe(2);
    writeFileSync(path.join(dir, 'b.txt'), 'changed');
    const changed = await runBatch([dir], { outDir: out, extract });
    expect(calls).toBe(3);
    expect(changed.skipped).toBe(1);
    await runBatch([dir], { outDir: out, extract, force: true });
    expect(calls).toBe(5);
  });

  it('reuses an output a killed run wrote but did not list, and clears dead writers\' temp files', async () => {
    const dir = folderOf({ 'a.txt': 'one', 'b.txt': 'two' });
    const out = tmp();
    let calls = 0;
    const extract = async (input: InputFile) => {
      calls++;
      return fakeDoc(input);
    };
    await runBatch([dir], { outDir: out, extract });
    // As if killed after writing b's output but before the manifest listed it.
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
    manifest.documents = manifest.documents.slice(0, 1);
    manifest.run = { startedAt: manifest.run.startedAt, complete: false };
    writeFileSync(path.join(out, 'manifest.json'), JSON.stringify(manifest));
    writeFileSync(path.join(out, '.b.json.999999999.3.tmp'), '{"half": ');
    const before = calls;
    const r = await runBatch([dir], { outDir: out, extract });
    expect(calls).toBe(before);
    expect(r.skipped).toBe(2);
    expect(r.manifest.documents).toHaveLength(2);
    expect(readdirSync(out).filter((n) => TEMP_FILE.test(n))).toEqual([]);
  });

  it('keeps a live writer\'s temp files', async () => {
    const out = tmp();
    const mine = `.x.json.${process.pid}.1.tmp`;
    writeFileSync(path.join(out, mine), '');
    await removeStaleTempFiles(out);
    expect(readdirSync(out)).toContain(mine);
  });

  it('writes atomically: no temporary file is left after a write', async () => {
    const out = tmp();
    await writeFileAtomic(path.join(out, 'a.json'), '{}');
    expect(readdirSync(out)).toEqual(['a.json']);
    expect(statSync(path.join(out, 'a.json')).size).toBe(2);
  });
});

describe('runBatch with worker threads', () => {
  it('writes the same bytes as an in-process run, and the same failures', async () => {
    const inputs = ['fixtures/seeds/004_0b441babad7e57b2.txt', 'fixtures/docx/seed-2023.docx', 'fixtures/bad/empty.docx', 'fixtures/bad/truncated.pdf'];
    const [a, b] = [tmp(), tmp()];
    const threaded = await runBatch(inputs, { outDir: a, concurrency: 2, timeoutMs: 60_000 });
    const inline = await runBatch(inputs, { outDir: b, concurrency: 2, timeoutMs: 60_000, workers: false });
    expect(threaded.workers).toBe(true);
    expect(inline.workers).toBe(false);
    expect(threaded.manifest.documents).toEqual(inline.manifest.documents);
    expect(threaded.manifest.documents.map((d) => d.error?.code ?? d.status)).toEqual(['ok', 'ok', 'input/empty', 'pdf/corrupt']);
    for (const d of threaded.manifest.documents.filter((e) => e.output)) {
      expect(readFileSync(path.join(a, d.output!), 'utf8')).toBe(readFileSync(path.join(b, d.output!), 'utf8'));
    }
   }, 180_000); // worker threads load the TypeScript sources through tsx: slow on a busy machine
});

describe('WorkerPool', () => {
  // A stand-in worker speaking the pool's protocol: hangs, crashes or answers.
  const script = path.join(tmp(), 'stand-in-worker.mjs');
  writeFileSync(
    script,
    `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (t) => {
  if (t.path === 'hang') for (;;) {}
  if (t.path === 'exit') process.exit(3);
  if (t.path === 'oom') { const keep = []; for (;;) keep.push(new Array(1e5).fill(Math.random())); }
  if (t.path === 'throw') setTimeout(() => { throw new Error('boom'); });
  else if (t.path === 'coded') parentPort.postMessage({ id: t.id, ok: false, code: 'docx/corrupt', message: 'no' });
  else parentPort.postMessage({ id: t.id, ok: true, json: JSON.stringify({ n: t.bytes.length, path: t.path }), recommendations: t.bytes.length });
});
parentPort.postMessage({ ready: true });
`,
  );
  const input = (p: string): InputFile => ({ path: p, filename: p, bytes: new Uint8Array([1, 2, 3]), sha256: SHA });

  it('terminates a hung parse at its time limit and carries on with a fresh worker', async () => {
    const pool = new WorkerPool(pathToFileURL(script), { size: 1 });
    try {
      await expect(pool.extract(input('hang'), 300)).rejects.toMatchObject({ code: 'input/timeout' });
      await expect(pool.extract(input('fine'), 5000)).resolves.toEqual({ json: '{"n":3,"path":"fine"}', recommendations: 3 });
    } finally {
      await pool.close();
    }
  });

  it('fails a document that needs more memory than a worker may have with input/too-large', async () => {
    const pool = new WorkerPool(pathToFileURL(script), { size: 1, maxHeapMb: 32 });
    try {
      await expect(pool.extract(input('oom'), 30_000)).rejects.toMatchObject({ code: 'input/too-large' });
      await expect(pool.extract(input('fine'), 5000)).resolves.toMatchObject({ recommendations: 3 });
    } finally {
      await pool.close();
    }
  });

  it('turns a crashed or exited worker into a coded failure, and codes cross the thread boundary', async () => {
    const pool = new WorkerPool(pathToFileURL(script), { size: 2 });
    try {
      const results = await Promise.allSettled(['exit', 'throw', 'coded', 'fine', 'fine'].map((p) => pool.extract(input(p), 5000)));
      expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code))).toEqual([
        'internal/error',
        'internal/error',
        'docx/corrupt',
        'ok',
        'ok',
      ]);
    } finally {
      await pool.close();
    }
  });
});
