// Longer fuzz run than the test: mutants of every fixture PDF, .docx and HTML
// page (and the hostile fixtures) through the built CLI (worker threads,
// per-file timeout), a third of them structure-aware attacks (tests/fuzz-mutator.ts).
// Prints outcomes by code, the timeouts the runner contained, throughput and the
// run's peak RSS (worker threads share the process, so that is all of it).
// Fails on a crash, a hang (no end within --max-minutes), or any internal/error.
// Usage: npm run bench:fuzz [-- --count 10000 --seed 1 --timeout 10 --concurrency 2 --max-minutes 120 --no-build]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DocumentJson, Manifest } from '../src/schema.js';
import { writeMutants } from '../tests/fuzz-mutator.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '10000' },
    'max-minutes': { type: 'string', default: '120' },
    seed: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '10' },
    concurrency: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const ROOT = path.resolve(import.meta.dirname, '..');
if (!values['no-build']) {
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    // Type errors elsewhere still emit JS.
  }
}

const seeds: Array<{ name: string; bytes: Uint8Array }> = [];
const walk = (dir: string) => {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (/\.(pdf|docx|html)$/.test(e.name)) seeds.push({ name: e.name, bytes: new Uint8Array(readFileSync(full)) });
  }
};
walk(path.join(ROOT, 'fixtures/pdf'));
walk(path.join(ROOT, 'fixtures/docx'));
walk(path.join(ROOT, 'fixtures/html'));
walk(path.join(ROOT, 'fixtures/hostile'));

const count = Number(values.count);
const root = mkdtempSync(path.join(tmpdir(), 'rectrace-bench-fuzz-'));
const inDir = path.join(root, 'in');
const out = path.join(root, 'out');
mkdirSync(inDir);
const how = writeMutants(inDir, seeds, count, Number(values.seed), (f, b) => writeFileSync(f, b));
console.log(`${count} mutants of ${seeds.length} seeds in ${inDir}`);

const started = performance.now();
const args = ['bin/rectrace.js', 'extract', inDir, '--out', out, '--timeout', values.timeout, '--quiet'];
if (values.concurrency) args.push('--concurrency', values.concurrency);
// Peak RSS: the kernel's high-water mark for the CLI process, read while it runs.
const r = await new Promise<{ status: number | null; signal: string | null; stderr: string; peakKb: number }>((resolve) => {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let peakKb = 0;
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-100_000)));
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // ended
    }
  }, 200);
  const hang = setTimeout(() => child.kill('SIGKILL'), Number(values['max-minutes']) * 60_000);
  child.on('close', (status, signal) => {
    clearInterval(poll);
    clearTimeout(hang);
    resolve({ status, signal, stderr, peakKb });
  });
});
const seconds = (performance.now() - started) / 1000;

const problems: string[] = [];
if (r.signal === 'SIGKILL') problems.push(`HANG: no end within ${values['max-minutes']} minutes`);
if (r.signal || (r.status !== 0 && r.status !== 1)) problems.push(`CRASH: runner ended with status ${r.status} signal ${r.signal}: ${r.stderr.slice(-2000)}`);
if (/\n\s+at /.test(r.stderr)) problems.push('a stack trace was printed');
const manifest = Manifest.parse(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')));
if (!manifest.run.complete) problems.push('manifest not complete');
if (manifest.documents.length !== count) problems.push(`manifest lists ${manifest.documents.length} of ${count}`);
const byCode: Record<string, number> = {};
const contained: string[] = [];
for (const d of manifest.documents) {
  const code = d.status === 'ok' ? 'ok' : d.error!.code;
  byCode[code] = (byCode[code] ?? 0) + 1;
  if (d.status === 'ok') {
    const parsed = DocumentJson.safeParse(JSON.parse(readFileSync(path.join(out, d.output!), 'utf8')));
    if (!parsed.success) problems.push(`${d.source}: output does not match the schema`);
  } else if (code === 'internal/error') {
    problems.push(`internal/error  ${how.get(path.basename(d.source))}  ${d.error!.message.slice(0, 160)}`);
  } else if (code === 'input/timeout') {
    contained.push(`${code}  ${how.get(path.basename(d.source))}  ${d.error!.message.slice(0, 120)}`);
  }
}
const structural = [...how.values()].filter((h) => /word-number|word-nesting|declared-size|pdf-number|pdf-nesting|pdf-bomb|html-number|html-nesting/.test(h)).length;
console.log(`${count} inputs (${structural} structure-aware) in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(1)}/s), peak RSS ${Math.round(r.peakKb / 1024)} MB`);
console.table(Object.entries(byCode).sort((a, b) => b[1] - a[1]).map(([code, n]) => ({ code, n })));
if (contained.length) console.log(`timeouts contained by the runner (${contained.length}):\n${contained.join('\n')}`);
if (problems.length) {
  console.log(`RUNNER PROBLEMS:\n${problems.slice(0, 50).join('\n')}`);
  process.exitCode = 1;
} else console.log('runner: no crash, no hang, no internal/error; every input ok or failed with a code');
if (!values.keep) rmSync(root, { recursive: true, force: true });
