// Batch throughput: N documents (fixtures copied, good and bad mixed) through
// the built runner at several concurrencies, in worker threads and in-process.
// Each configuration runs in a fresh child process so peak RSS is its own.
// Usage: npm run bench:batch [-- --docs 500 --concurrency 1,2,4 --modes workers,in-process --no-build]
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '1,2,4' },
    modes: { type: 'string', default: 'workers,in-process' },
    'no-build': { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCES = ['fixtures/bad', 'fixtures/pdf', 'fixtures/docx', 'fixtures/seeds', 'fixtures/html'];

interface ChildResult {
  seconds: number;
  cpuSeconds: number;
  maxRssMb: number;
  listed: number;
  ok: number;
  failed: number;
  unparsable: number;
  workers: boolean;
  codes: Record<string, number>;
}

if (values.child) {
  // Child: one configuration. Imports the built runner (what users run).
  const [inDir, outDir, conc, mode] = values.child.split('|');
  const { runBatch } = (await import(pathToFileURL(path.join(ROOT, 'dist/pipeline.js')).href)) as typeof import('../src/pipeline.js');
  const started = performance.now();
  const result = await runBatch([inDir], { outDir, concurrency: Number(conc), workers: mode === 'workers', timeoutMs: 60_000 });
  const seconds = (performance.now() - started) / 1000;
  let unparsable = 0;
  const codes: Record<string, number> = {};
  for (const d of result.manifest.documents) {
    if (d.status === 'failed') codes[d.error!.code] = (codes[d.error!.code] ?? 0) + 1;
    else {
      try {
        const doc = JSON.parse(readFileSync(path.join(outDir, d.output!), 'utf8'));
        if (doc.source.sha256 !== d.sha256) unparsable++;
      } catch {
        unparsable++;
      }
    }
  }
  const usage = process.resourceUsage();
  const out: ChildResult = {
    seconds,
    // All threads of the process: the work done, whatever the machine's load.
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    maxRssMb: Math.round(usage.maxRSS / 1024),
    listed: result.manifest.documents.length,
    ok: result.manifest.documents.filter((d) => d.status === 'ok').length,
    failed: result.manifest.documents.filter((d) => d.status === 'failed').length,
    unparsable,
    workers: result.workers,
    codes,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

// Parent.
if (!values['no-build']) {
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  } catch {
    // Type errors elsewhere still emit JS; the runner below is what matters.
  }
}
const total = Number(values.docs);
const fixtures: string[] = [];
const walk = (dir: string) => {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full);
    else if (!/\.(json|md)$/i.test(e.name)) fixtures.push(full);
  }
};
for (const s of SOURCES) walk(path.join(ROOT, s));
const work = mkdtempSync(path.join(tmpdir(), 'rectrace-bench-batch-'));
const inDir = path.join(work, 'in');
mkdirSync(inDir);
let bad = 0;
for (let i = 0; i < total; i++) {
  const src = fixtures[i % fixtures.length];
  if (src.includes(`${path.sep}bad${path.sep}`)) bad++;
  copyFileSync(src, path.join(inDir, `${String(i).padStart(4, '0')}-${path.basename(src)}`));
}
console.log(`${total} documents from ${fixtures.length} fixtures (${bad} copies of fixtures/bad), ${availableParallelism()} cores, load ${loadavg()[0].toFixed(1)}`);

// Copies of one fixture under different names: every run parses all of them.
const rows: string[] = [];
const header = ['mode', 'concurrency', 'docs/s', 'seconds', 'CPU s', 'peak RSS MB', 'listed', 'ok', 'failed', 'lost', 'load'];
for (const mode of values.modes.split(',')) {
  for (const conc of values.concurrency.split(',').map(Number)) {
    const outDir = path.join(work, `out-${mode}-${conc}`);
    const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--child', [inDir, outDir, conc, mode].join('|')], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    let r: ChildResult;
    try {
      r = JSON.parse(line) as ChildResult;
    } catch {
      console.error(`child failed (${mode}, ${conc}): ${child.stderr.slice(-2000)}`);
      process.exitCode = 1;
      continue;
    }
    const lost = total - r.listed + r.unparsable;
    if (lost) process.exitCode = 1;
    const cells = [mode + (mode === 'workers' && !r.workers ? ' (unavailable)' : ''), conc, (total / r.seconds).toFixed(1), r.seconds.toFixed(1), r.cpuSeconds.toFixed(1), r.maxRssMb, r.listed, r.ok, r.failed, lost, loadavg()[0].toFixed(1)];
    rows.push(`| ${cells.join(' | ')} |`);
    console.log(rows[rows.length - 1], JSON.stringify(r.codes));
    rmSync(outDir, { recursive: true, force: true });
  }
}
console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.join('\n')}`);
rmSync(work, { recursive: true, force: true });
