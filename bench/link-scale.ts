// npm run bench:link-scale — linking two synthetic generations of 2,000
// recommendations each (bench/link-synthetic.ts, seeded), timed two ways,
// interleaved, median of n: in process (matchGenerations on objects already in
// memory, the word vectors already loaded) and through the CLI as a user runs it
// (`rectrace link OLDER.json NEWER.json --out FILE`: a fresh process that starts
// Node, reads both JSON files, loads the word vectors, links and writes).
// Wall time and CPU time (in process: process.cpuUsage, all of this process's
// threads; the CLI: GNU time). On a shared machine the CPU time is the steadier.
// Usage: npm run bench:link-scale -- [--rounds N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { matchGenerationsWithStats } from '../src/match/index.js';
import { syntheticGenerations } from './link-synthetic.js';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Math.max(1, Number(args[roundsAt + 1])) : 5;
const root = resolve(import.meta.dirname, '..');
if (!existsSync(join(root, 'dist/cli.js'))) {
  console.log('bench:link-scale skipped: missing dist/ (npm run build)');
  process.exit(0);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { older, newer } = syntheticGenerations(2000, 20240501);
const work = mkdtempSync(join(tmpdir(), 'rectrace-bench-link-'));
try {
  writeFileSync(join(work, 'older.json'), JSON.stringify(older));
  writeFileSync(join(work, 'newer.json'), JSON.stringify(newer));
  matchGenerationsWithStats(older, newer); // loads the word vectors, once per process
  const inProcess: { wall: number; cpu: number }[] = [];
  const cli: { wall: number; cpu: number }[] = [];
  const cpuNow = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const timeFile = join(work, 'time.txt');
  const gnuTime = existsSync('/usr/bin/time');
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    const c = cpuNow();
    matchGenerationsWithStats(older, newer);
    inProcess.push({ wall: (performance.now() - t) / 1000, cpu: cpuNow() - c });
    t = performance.now();
    const argv = [process.execPath, join(root, 'bin/rectrace.js'), 'link', join(work, 'older.json'), join(work, 'newer.json'), '--out', join(work, 'links.json'), '--quiet'];
    const run = gnuTime ? spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, ...argv]) : spawnSync(argv[0], argv.slice(1));
    const wall = (performance.now() - t) / 1000;
    if (run.status !== 0) throw new Error(`rectrace link failed: ${run.stderr}`);
    const [user, sys] = gnuTime ? readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number) : [NaN, NaN];
    cli.push({ wall, cpu: user + sys });
  }
  const f = (xs: { wall: number; cpu: number }[]) =>
    `wall ${median(xs.map((x) => x.wall)).toFixed(2)} s, CPU ${median(xs.map((x) => x.cpu)).toFixed(2)} s (median of ${rounds}; wall ${xs.map((x) => x.wall.toFixed(2)).join(', ')})`;
  console.log(`link 2,000 x 2,000 in process (matchGenerations): ${f(inProcess)}`);
  console.log(`link 2,000 x 2,000 through the CLI (rectrace link, fresh process): ${f(cli)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
