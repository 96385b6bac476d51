// npm run bench:pdf — the CLI as a user runs it against poppler, whole process
// against whole process. On the same PDFs (default: the 67 ICDAR 2013 PDFs):
//   rectrace extract FILES --out DIR        (a fresh process, default concurrency, output written)
//   xargs -P <cores> pdftotext -bbox-layout (one process per file, output written)
// paired and interleaved (the order flips every round), n rounds; medians of wall
// time and of CPU time (user + system of every thread and child, from
// /usr/bin/time), the ratio of the medians and the median of the per-round ratios.
// Then the same at one document at a time (--concurrency 1 against -P 1), peak RSS
// for the files once against the same files three and nine times over, and memory against length.
// Peak RSS is given two ways: GNU time's (the largest single process) and the sum
// over the whole process tree, sampled every 20 ms (rectrace's launcher and its
// batch; xargs, sh and the pdftotexts running at once).
// Usage: npm run bench:pdf -- [--rounds N] [--no-serial] [--no-nine] [--no-memory] [dir ...]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);

// Memory against length: read one file in a plain Node process from the built
// JS (under tsx the TypeScript loader's own memory, ~300 MiB, swamped the figure).
const MEMORY_CHILD = `
import { readFileSync } from 'node:fs';
const { readPdf } = await import(process.argv[1]);
const doc = (await readPdf(new Uint8Array(readFileSync(process.argv[2])))).value;
console.log(JSON.stringify({ pages: doc.pages, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
`;

const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Math.max(1, Number(args[roundsAt + 1])) : 5;
const dirs = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--rounds');
const root = resolve(import.meta.dirname, '..');
const corpus = join(root, '../shared/corpus');
const TIME = '/usr/bin/time';
const missing = [
  !dirs.length && !existsSync(join(corpus, 'icdar2013')) && '../shared/corpus/icdar2013',
  !existsSync(TIME) && '/usr/bin/time (GNU time)',
  spawnSync('pdftotext', ['-v']).error && 'pdftotext (poppler-utils)',
  !existsSync(join(root, 'dist/cli.js')) && 'dist/ (npm run build)',
].filter(Boolean);
if (missing.length) {
  console.log(`bench:pdf skipped: missing ${missing.join(', ')}`);
  process.exit(0);
}

const pdfsUnder = (dir: string): string[] =>
  readdirSync(dir)
    .flatMap((e) => (statSync(join(dir, e)).isDirectory() ? pdfsUnder(join(dir, e)) : e.toLowerCase().endsWith('.pdf') ? [join(dir, e)] : []))
    .sort();
const files = (dirs.length ? dirs : [join(corpus, 'icdar2013')]).flatMap(pdfsUnder).map((f) => resolve(f));
const cores = availableParallelism();
const work = mkdtempSync(join(tmpdir(), 'rectrace-bench-pdf-'));
// The inputs as links in one folder (pdftotext is run from there), and the same
// files again under other names for the memory-against-count runs. Repeats come
// as whole passes (all files, then all again), as a batch of distinct reports
// would: listing each file three times in a row would put two workers on the
// same document at once and measure that coincidence instead.
const inputs = join(work, 'in');
mkdirSync(inputs);
const passes = (n: number): string[] =>
  Array.from({ length: n }, (_, p) => files.map((_, i) => join(inputs, `${String.fromCharCode(97 + p)}${String(i).padStart(4, '0')}-${basename(files[i])}`))).flat();
files.forEach((f, i) => {
  const name = `${String(i).padStart(4, '0')}-${basename(f)}`;
  symlinkSync(f, join(inputs, name));
  for (let p = 0; p < 9; p++) symlinkSync(f, join(inputs, `${String.fromCharCode(97 + p)}${name}`));
});
const tripled = passes(3);
const once = readdirSync(inputs).filter((n) => /^\d/.test(n)).sort();

interface Run {
  wall: number;
  cpu: number;
  /** GNU time's peak: the largest single process. */
  rssMb: number;
  /** The peak of the sum over the process and all its descendants, sampled. */
  treeMb: number;
  /** With `perPass`: the tree's peak while each pass of the files was being read (by outputs written). */
  passPeaksMb?: number[];
}
let serial = 0;

/** Resident set of `rootPid` and every process under it, in MiB, from /proc. */
function treeRssMb(rootPid: number): number {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state ppid ... (rss is field 24).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      rss.set(Number(entry), Number(fields[21]));
    } catch {
      // The process ended between listing and reading.
    }
  }
  let pages = 0;
  for (const [pid, pagesOf] of rss) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parent.get(p)) {
      if (p === rootPid) {
        pages += pagesOf;
        break;
      }
    }
  }
  return (pages * 4096) / 2 ** 20;
}

/** Runs a command under GNU time: wall seconds, CPU seconds of it and everything it waited for, peak RSS. */
async function measure(command: string, argv: string[], cwd = root, perPass?: { out: string; files: number }): Promise<Run> {
  const stats = join(work, 'time.txt');
  const t0 = performance.now();
  const child = spawn(TIME, ['-f', '%U %S %M', '-o', stats, command, ...argv], { cwd, stdio: ['ignore', 'ignore', 'ignore'] });
  let treeMb = 0;
  const passPeaksMb: number[] = [];
  const sampler = setInterval(() => {
    const now = treeRssMb(child.pid!);
    treeMb = Math.max(treeMb, now);
    if (!perPass) return;
    let written = 0;
    try {
      written = readdirSync(perPass.out).length;
    } catch {
      // Not created yet.
    }
    const pass = Math.floor(written / perPass.files);
    passPeaksMb[pass] = Math.max(passPeaksMb[pass] ?? 0, now);
  }, 20);
  const code = await new Promise<number | null>((done, fail) => child.on('error', fail).on('exit', done));
  clearInterval(sampler);
  const wall = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
  const [user, sys, rssKb] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number);
  // The sampler also counted GNU time itself, about 2 MiB, on both sides alike.
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, treeMb, ...(perPass ? { passPeaksMb } : {}) };
}
async function rectrace(list: string[], concurrency?: number, perPass = false): Promise<Run> {
  const out = join(work, `out-${serial++}`);
  const argv = [join(root, 'bin/rectrace.js'), 'extract', ...list, '--out', out, '--quiet', ...(concurrency ? ['--concurrency', String(concurrency)] : [])];
  const run = await measure(process.execPath, argv, root, perPass ? { out, files: files.length } : undefined);
  const written = readdirSync(out).filter((n) => n.endsWith('.json') && n !== 'manifest.json').length;
  if (written === 0) throw new Error('rectrace wrote nothing');
  rmSync(out, { recursive: true, force: true });
  return run;
}
async function pdftotext(parallel: number): Promise<Run> {
  const out = join(work, `out-${serial++}`);
  mkdirSync(out);
  // One pdftotext per file, `parallel` at a time, each writing its XHTML into `out`.
  const script = `printf '%s\\n' ${once.map((n) => `'${n}'`).join(' ')} | xargs -P ${parallel} -I{} pdftotext -q -bbox-layout {} '${out}/{}.html'`;
  const run = await measure('sh', ['-c', script], inputs);
  rmSync(out, { recursive: true, force: true });
  return run;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
async function paired(label: string, ours: () => Promise<Run>, theirs: () => Promise<Run>): Promise<{ ours: Run[]; theirs: Run[] }> {
  const a: Run[] = [];
  const b: Run[] = [];
  for (let r = 0; r < rounds; r++) {
    // Interleaved, the order flipping every round, so drifting load hits both sides alike.
    if (r % 2 === 0) {
      a.push(await ours());
      b.push(await theirs());
    } else {
      b.push(await theirs());
      a.push(await ours());
    }
    process.stderr.write(`  ${label} round ${r + 1}/${rounds}: rectrace ${a[r].wall.toFixed(2)} s wall ${a[r].cpu.toFixed(2)} s CPU; pdftotext ${b[r].wall.toFixed(2)} s wall ${b[r].cpu.toFixed(2)} s CPU\n`);
  }
  const row = (name: string, runs: Run[]) =>
    `  ${name.padEnd(30)} wall ${median(runs.map((x) => x.wall)).toFixed(2).padStart(6)} s   CPU ${median(runs.map((x) => x.cpu)).toFixed(2).padStart(6)} s   peak RSS ${median(runs.map((x) => x.rssMb)).toFixed(0).padStart(4)} MiB (all processes ${median(runs.map((x) => x.treeMb)).toFixed(0).padStart(4)} MiB)`;
  const ratio = (k: 'wall' | 'cpu') => {
    const ofMedians = median(a.map((x) => x[k])) / median(b.map((x) => x[k]));
    const perRound = median(a.map((x, i) => x[k] / b[i][k]));
    const spread = a.map((x, i) => x[k] / b[i][k]);
    return `${ofMedians.toFixed(2)}x (median of per-round ratios ${perRound.toFixed(2)}x, range ${Math.min(...spread).toFixed(2)}-${Math.max(...spread).toFixed(2)})`;
  };
  console.log(`${label} (median of ${rounds})`);
  console.log(row('rectrace extract', a));
  console.log(row('pdftotext -bbox-layout', b));
  console.log(`  ratio wall ${ratio('wall')}`);
  console.log(`  ratio CPU  ${ratio('cpu')}`);
  return { ours: a, theirs: b };
}

try {
  const pages = files.reduce((n, f) => n + Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [f], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1] ?? 0), 0);
  console.log(`${files.length} PDFs, ${pages} pages, ${cores} cores, load average ${(await import('node:os')).loadavg()[0].toFixed(1)} at start`);
  // Warm the file cache and the disk for both before timing anything.
  await pdftotext(cores);
  await rectrace(files);
  await paired(`all cores (rectrace default concurrency ${cores}, xargs -P ${cores})`, () => rectrace(files), () => pdftotext(cores));
  if (!args.includes('--no-serial')) await paired('one at a time (--concurrency 1, xargs -P 1)', () => rectrace(files, 1), () => pdftotext(1));

  // Peak RSS against the number of documents: the files once, three times and
  // nine times over (whole passes), interleaved, the order flipping every round.
  const onePass: Run[] = [];
  const threePasses: Run[] = [];
  for (let r = 0; r < Math.min(rounds, 3); r++) {
    const pair = r % 2 === 0 ? [onePass, threePasses] : [threePasses, onePass];
    for (const into of pair) into.push(await rectrace(into === onePass ? files : tripled));
    process.stderr.write(`  peak RSS round ${r + 1}: ${files.length} files ${onePass[r].treeMb.toFixed(0)} MiB, ${tripled.length} files ${threePasses[r].treeMb.toFixed(0)} MiB (all processes)\n`);
  }
  const nine = args.includes('--no-nine') ? null : await rectrace(passes(9), undefined, true);
  for (const [what, key] of [['all processes', 'treeMb'], ['largest process', 'rssMb']] as const) {
    const base = median(onePass.map((x) => x[key]));
    const three = threePasses.map((x) => x[key]);
    console.log(
      `peak RSS by document count, ${what} (median of ${onePass.length}): ${files.length} files ${base.toFixed(0)} MiB (${onePass.map((x) => x[key].toFixed(0)).join(', ')}), ` +
        `${tripled.length} files (three passes) ${median(three).toFixed(0)} MiB (${three.map((x) => x.toFixed(0)).join(', ')}; ${(median(three) / base).toFixed(2)}x)` +
        (nine === null ? '' : `, ${files.length * 9} files (nine passes, one run) ${nine[key].toFixed(0)} MiB (${(nine[key] / base).toFixed(2)}x)`),
    );
  }
  // Whether memory creeps pass after pass or is one rare moment; the last entry is the manifest and the end.
  if (nine?.passPeaksMb) console.log(`peak RSS in each pass of the nine-pass run, all processes: ${nine.passPeaksMb.slice(0, 9).map((x) => (x ?? 0).toFixed(0)).join(', ')} MiB`);

  // Memory against length: the same 3-page report repeated into a long one, each
  // read in a fresh process. What grows per page is the extracted text and rules
  // kept for stitching tables across pages; pdf.js page objects are released.
  if (!args.includes('--no-memory') && !spawnSync('qpdf', ['--version']).error) {
    const seed = join(root, 'fixtures/pdf/seed-2022-ruled.pdf');
    const rows: { pages: number; mb: number }[] = [];
    const readPdfModule = pathToFileURL(join(root, 'dist/parse/pdf/index.js')).href;
    for (const copies of [1, 10, 40]) {
      const file = join(work, `x${copies}.pdf`);
      execFileSync('qpdf', ['--empty', '--pages', ...Array(copies).fill(seed), '--', file]);
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', MEMORY_CHILD, readPdfModule, file], { encoding: 'utf8' });
      const res = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { pages: number; maxRssMb: number };
      rows.push({ pages: res.pages, mb: res.maxRssMb });
    }
    const [first, , last] = rows;
    console.log(`memory against length (readPdf, one process each): ${rows.map((r) => `${r.pages} pages ${r.mb.toFixed(0)} MiB`).join(', ')}; ${(((last.mb - first.mb) * 1024) / (last.pages - first.pages)).toFixed(0)} KiB per extra page`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
