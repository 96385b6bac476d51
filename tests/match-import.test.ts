// natural's index loads storage back-ends that run dotenv: they print on stdout
// and read a .env from the user's working directory. The match stage loads only
// the submodules it needs, so neither happens (runs the built dist/).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LinkSet } from '../src/schema.js';
import { readTextExportFile } from './match-helpers.js';

const root = process.cwd();

function withDotEnv<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'rectrace-dotenv-'));
  try {
    writeFileSync(path.join(dir, '.env'), 'RECTRACE_DOTENV_PROBE=leaked\n');
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('loading the similarity module', () => {
  it('does not read a .env file in the working directory into process.env', () => {
    const url = pathToFileURL(path.join(root, 'dist/match/similarity.js')).href;
    const script = `await import(${JSON.stringify(url)}); process.stderr.write(JSON.stringify({ probe: process.env.RECTRACE_DOTENV_PROBE ?? null }));`;
    const r = withDotEnv((dir) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8', timeout: 60_000 }),
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stderr)).toEqual({ probe: null });
    expect(r.stdout).toBe('');
  });

  it('rectrace link prints nothing on stdout', () => {
    const r = withDotEnv((dir) => {
      const older = path.join(dir, 'older.json');
      const newer = path.join(dir, 'newer.json');
      writeFileSync(older, JSON.stringify(readTextExportFile(path.join(root, 'fixtures/generations/reworded/older.txt'))));
      writeFileSync(newer, JSON.stringify(readTextExportFile(path.join(root, 'fixtures/generations/reworded/newer.txt'))));
      const out = path.join(dir, 'links.json');
      const run = spawnSync(process.execPath, [path.join(root, 'bin/rectrace.js'), 'link', older, newer, '--out', out, '--quiet'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      return { ...run, links: run.status === 0 ? LinkSet.parse(JSON.parse(readFileSync(out, 'utf8'))) : undefined };
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.links?.links.length).toBeGreaterThan(5);
  });
});
