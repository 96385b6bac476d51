// What `npm pack` ships and what the package exports (issue 13).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BatchOptions, ExtractOptions, InputFile, LinkOptions } from '../src/index.js';
import { RectraceError, readDocumentJson, runBatch, extractInput, linkDocuments, sha256 } from '../src/index.js';

describe('the published package', () => {
  it('ships the built code, the CLI, the word vectors and the schemas, and nothing else', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const files = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path);
    for (const f of files) expect(f, f).toMatch(/^(dist\/|bin\/rectrace\.js$|data\/word-vectors\.bin$|schema\/[a-z-]+\.schema\.json$|README\.md$|package\.json$|LICENSE)/);
    for (const need of ['dist/index.js', 'dist/index.d.ts', 'dist/cli.js', 'dist/batch/worker.js', 'bin/rectrace.js', 'data/word-vectors.bin', 'schema/document.schema.json']) {
      expect(files).toContain(need);
    }
  });

  it('resolves by its own name through "exports"', async () => {
    const self = (await import('rectrace' as string)) as typeof import('../src/index.js');
    expect(typeof self.runBatch).toBe('function');
    expect(typeof self.RectraceError).toBe('function');
  });

  it('exports the option types (checked by npm run typecheck) and they fit the functions', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rectrace-pkg-'));
    const bytes = new TextEncoder().encode('No.\tRecommendation\tResponse\n1\tThe council should publish its plan.\tAccepted.\n');
    const input: InputFile = { path: 'a.txt', filename: 'a.txt', bytes, sha256: sha256(bytes) };
    const extractOptions: ExtractOptions = {};
    const doc = await extractInput(input, extractOptions);
    const linkOptions: LinkOptions = {};
    expect((await linkDocuments(doc, doc, linkOptions)).links).toHaveLength(1);
    writeFileSync(path.join(dir, 'a.txt'), bytes);
    const batch: BatchOptions = { outDir: path.join(dir, 'out'), workers: false };
    expect((await runBatch([path.join(dir, 'a.txt')], batch)).recommendations).toBe(1);
    await expect(readDocumentJson(path.join(dir, 'missing.json'))).rejects.toBeInstanceOf(RectraceError);
  });
});
