// Fuzz: 1,000 damaged PDFs, .docx files and HTML pages through the built CLI
// with a short per-file timeout, a third of them structure-aware attacks (hostile
// spans, counts and list starts, deep nesting, lying sizes, inflation bombs).
// The runner must not crash or hang, and every input must be listed as ok (a
// whole, valid document) or failed with a stable code other than internal/error.
// Longer runs: npm run bench:fuzz.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DocumentJson, Manifest } from '../src/schema.js';
import { ERROR_CODES } from '../src/errors.js';
import { writeMutants } from './fuzz-mutator.js';

const CODES = new Set<string>(ERROR_CODES);

// The smaller seeds keep the CI run short; bench:fuzz uses them all.
const SEEDS = [
  'fixtures/pdf/seed-2023-ruled.pdf',
  'fixtures/pdf/merged-header.pdf',
  'fixtures/docx/seed-2023.docx',
  'fixtures/docx/cases/numbering.docx',
  'fixtures/docx/cases/merged.docx',
  'fixtures/html/seed-2023.html',
  'fixtures/layouts/action-plan.html',
];
const COUNT = 1000;

describe('fuzzed inputs through the runner', () => {
  it(`${COUNT} mutated PDFs, .docx files and HTML pages: no crash, no hang, every one ok or failed with a code`, async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'rectrace-fuzz-'));
    const inDir = path.join(root, 'in');
    const out = path.join(root, 'out');
    mkdirSync(inDir);
    const seeds = SEEDS.map((f) => ({ name: path.basename(f), bytes: new Uint8Array(readFileSync(f)) }));
    const how = writeMutants(inDir, seeds, COUNT, 20240601, (file, bytes) => writeFileSync(file, bytes));
    expect(readdirSync(inDir)).toHaveLength(COUNT);

    // Not spawnSync: a run of minutes must not block this test worker's own messages.
    const r = await run(process.execPath, ['bin/rectrace.js', 'extract', inDir, '--out', out, '--timeout', '10', '--quiet'], 900_000);
    expect(r.signal).toBeNull(); // not killed by the spawn timeout: no hang
    expect([0, 1]).toContain(r.status);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    expect(manifest.run.complete).toBe(true);
    expect(manifest.documents).toHaveLength(COUNT);
    const byCode: Record<string, number> = {};
    const internal: string[] = [];
    for (const d of manifest.documents) {
      if (d.status === 'ok') {
        const doc = DocumentJson.parse(JSON.parse(readFileSync(path.join(out, d.output!), 'utf8')));
        expect(doc.source.sha256).toBe(d.sha256);
        byCode.ok = (byCode.ok ?? 0) + 1;
      } else {
        expect(d.output).toBeNull();
        expect(CODES).toContain(d.error!.code);
        expect(d.error!.message).toMatch(/^[^\n]+$/);
        byCode[d.error!.code] = (byCode[d.error!.code] ?? 0) + 1;
        if (d.error!.code === 'internal/error' || d.error!.code === 'input/timeout') {
          internal.push(`${d.error!.code} ${how.get(path.basename(d.source))}: ${d.error!.message}`);
        }
      }
    }
    // Timeouts are contained, for the record; internal errors are failures (every input problem has a code).
    if (internal.length) console.warn(`fuzz: ${internal.length} contained parser failures:\n${internal.slice(0, 20).join('\n')}`);
    console.info('fuzz outcomes', byCode);
    expect(byCode['internal/error'] ?? 0).toBe(0);
    // The structure-aware attacks are among them.
    const kinds = [...how.values()].join('\n');
    for (const k of ['word-number', 'word-nesting', 'declared-size', 'pdf-number', 'pdf-nesting', 'pdf-bomb', 'html-number', 'html-nesting']) expect(kinds).toContain(k);
    // The mutations must reach the parsers, not just the sniffer: some survive, some fail deep.
    expect(byCode.ok ?? 0).toBeGreaterThan(COUNT / 20);
    expect((byCode['pdf/corrupt'] ?? 0) + (byCode['docx/corrupt'] ?? 0)).toBeGreaterThan(COUNT / 20);
    rmSync(root, { recursive: true, force: true }); // kept when a check fails, for a look
  }, 1_000_000);
});

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stderr });
    });
  });
}
