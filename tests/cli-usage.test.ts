// CLI usage (issue 13): per-command help, help and version commands, advice on
// unknown options, refusal of options that do nothing, and usage errors (exit 2,
// one message saying what to do) for --out of the wrong kind and link inputs
// that are not rectrace JSON.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const cli = (args: string[]) => spawnSync(process.execPath, ['bin/rectrace.js', ...args], { encoding: 'utf8', timeout: 120_000 });
const tmp = () => mkdtempSync(path.join(tmpdir(), 'rectrace-usage-'));
const SEED = 'fixtures/seeds/004_0b441babad7e57b2.txt';

describe('CLI help', () => {
  it.each(['extract', 'link', 'run'])('`%s --help` and `help %s` print that command\'s options and an example', (command) => {
    for (const args of [[command, '--help'], ['help', command]]) {
      const r = cli(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: rectrace ${command} `));
      expect(r.stdout).toMatch(new RegExp(`Example:\\n  rectrace ${command} .+--out `));
    }
    expect(cli([command, '--help']).stdout).toBe(cli(['help', command]).stdout);
  });

  it('only lists the options a command takes', () => {
    expect(cli(['help', 'extract']).stdout).not.toMatch(/--match-settings/);
    expect(cli(['help', 'link']).stdout).not.toMatch(/--timeout/);
    expect(cli(['help', 'run']).stdout).toMatch(/--overrides/);
  });

  it('`help` and `version` are commands', () => {
    const help = cli(['help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/rectrace help \[COMMAND\]/);
    const version = cli(['version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('CLI usage errors', () => {
  it('suggests the option meant for a misspelt one, without Node\'s advice about "--"', () => {
    const r = cli(['extract', SEED, '--ot', tmp()]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown option --ot; did you mean `--out`\?/);
    expect(r.stderr).not.toMatch(/'--'/);
    expect(cli(['extract', SEED, '--out', tmp(), '--timout', '5']).stderr).toMatch(/did you mean `--timeout`\?/);
  });

  it('refuses options that do nothing for the command', () => {
    const a = cli(['extract', SEED, '--out', tmp(), '--match-settings', 'm.json']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--match-settings does nothing for `extract`/);
    const b = cli(['link', 'a.json', 'b.json', '--out', path.join(tmp(), 'l.json'), '--timeout', '5']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--timeout does nothing for `link`/);
  });

  it('--out naming a file (extract, run) or a folder (link) is a usage error', () => {
    const dir = tmp();
    const file = path.join(dir, 'taken.txt');
    writeFileSync(file, 'x');
    for (const command of ['extract', 'run']) {
      const r = cli([command, SEED, '--out', file]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/is a file; `(extract|run)` writes a folder/);
      expect(r.stderr).not.toMatch(/internal\/error/);
    }
    const l = cli(['link', 'a.json', 'b.json', '--out', dir]);
    expect(l.status).toBe(2);
    expect(l.stderr).toMatch(/is a folder; `link` writes one file/);
  });

  it('link given malformed, empty, truncated, missing or foreign JSON says to run extract first (exit 2)', () => {
    const dir = tmp();
    const write = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const inputs = {
      malformed: write('bad.json', '{ nope'),
      empty: write('empty.json', ''),
      truncated: write('cut.json', '{"schemaVersion": "1'),
      missing: path.join(dir, 'missing.json'),
      foreign: write('other.json', '{"links": []}'),
      notJson: SEED,
    };
    for (const [what, file] of Object.entries(inputs)) {
      const r = cli(['link', file, file, '--out', path.join(dir, 'links.json')]);
      expect([what, r.status]).toEqual([what, 2]);
      expect(r.stderr).toMatch(/`link` takes rectrace document JSON: run `rectrace extract` first/);
      expect(r.stderr).toMatch(/input\/(not-document-json|not-found)/);
      expect(r.stderr).not.toMatch(/internal\/error|\n\s+at /);
    }
  });
});
