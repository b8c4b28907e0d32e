/**
 * Hostile inputs: output paths that cannot be written are refused before any
 * work starts; `merge` validates its shard files as input; text from a
 * topology reaches the terminal with its control characters escaped.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeShard, type SweepCell, type SweepDefinition } from '@stampede/check';
import { safeText, shellArg } from '@stampede/report';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, stampede } from './cli.helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = 'examples/topologies/prod4-incident-small.yaml';
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a directory\n');

describe('unwritable output paths are refused before any work (exit 2, one line: the flag, the path, why)', () => {
  const cases: [string, string[], string][] = [
    [
      'run --report under /proc',
      ['run', SMALL, '--report', '/proc/nope/x.html'],
      "cannot write the --report file '/proc/nope/x.html': /proc is a kernel pseudo file system",
    ],
    [
      'run --trace under /proc',
      ['run', SMALL, '--trace', '/proc/x/t.json'],
      "--trace '/proc/x/t.json': cannot write there (/proc is a kernel pseudo file system",
    ],
    [
      'run --out under /proc',
      ['run', SMALL, '--out', '/proc/x'],
      "cannot write the --out directory '/proc/x': /proc is a kernel pseudo file system",
    ],
    [
      'run --out under /sys',
      ['run', SMALL, '--out', '/sys/x'],
      "cannot write the --out directory '/sys/x': /sys is a kernel pseudo file system",
    ],
    [
      'run --out below a file',
      ['run', SMALL, '--out', join(aFile, 'sub')],
      `cannot write the --out directory '${join(aFile, 'sub')}': '${aFile}' is a file, not a directory (ENOTDIR)`,
    ],
    [
      'run --out that is a file',
      ['run', SMALL, '--out', aFile],
      `cannot write the --out directory '${aFile}': it is a file, not a directory (ENOTDIR)`,
    ],
    [
      'run --report below a file',
      ['run', SMALL, '--report', join(aFile, 'r.html')],
      `cannot write the --report file '${join(aFile, 'r.html')}': '${aFile}' is a file`,
    ],
    [
      'run --trace below a file',
      ['run', SMALL, '--trace', join(aFile, 'd', 't.json')],
      `--trace '${join(aFile, 'd', 't.json')}': cannot write there ('${aFile}' is a file`,
    ],
    [
      'sweep --out under /proc',
      ['sweep', SMALL, '--vary', 'delegates.reconnect.delay=1s..30s:2', '--out', '/proc/x'],
      "cannot write the --out directory '/proc/x'",
    ],
    [
      'sweep --report under /proc',
      ['sweep', SMALL, '--vary', 'delegates.reconnect.delay=1s..30s:2', '--out', join(dir, 'never'), '--report', '/proc/x/m.html'],
      "cannot write the --report file '/proc/x/m.html'",
    ],
    [
      'check --report under /proc',
      ['check', SMALL, '--runs', '1', '--report', '/proc/x/c.html'],
      "cannot write the --report file '/proc/x/c.html'",
    ],
  ];
  it.each(cases)('%s', { timeout: 30_000 }, async (_, args, message) => {
    const r = await stampede(args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe(''); // no header: nothing started
    expect(readdirSync(dir).sort()).toEqual(['a-file']);
  });
});

/** A well-formed shard of a 2 × 1 sweep, without running anything; `edit` breaks it. */
function shardFile(name: string, index: number, count: number, edit: (shard: Record<string, any>) => void = () => {}): string {
  const definition: SweepDefinition = {
    topology: { name: 'tiny', file: 'tiny.yaml' },
    seed: 1,
    fingerprint: `sha256:${'0'.repeat(64)}`,
    axes: [{ path: 'delegates.reconnect.delay', kind: 'duration', values: [1000, 2000], labels: ['1s', '2s'], own: null }],
  };
  const cells: SweepCell[] = [0, 1]
    .filter((i) => i % count === index - 1)
    .map((i) => ({
      index: i,
      coords: [i],
      verdict: 'recovered',
      timeToRecoverSec: 10,
      storm: false,
      timeToRecoverFromStormSec: null,
      dominantLoop: 'none',
      traceHash: 'h',
      evidence: 'e',
      minConnectedFraction: 0.5,
      peakPendingAcquires: 3,
      routersAdded: 0,
    }));
  const shard = JSON.parse(JSON.stringify(makeShard(definition, { index, count }, cells))) as Record<string, any>;
  edit(shard);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(shard));
  return path;
}

describe('merge validates its shard files', () => {
  it('well-formed shards merge (the fixture itself is valid)', async () => {
    const out = join(dir, 'merged-ok');
    const r = await stampede(['merge', shardFile('ok-1.json', 1, 2), shardFile('ok-2.json', 2, 2), '--out', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'sweep.csv'), 'utf8')).not.toContain('undefined');
    rmSync(out, { recursive: true });
    for (const f of ['ok-1.json', 'ok-2.json']) rmSync(join(dir, f));
  });

  const cases: [string, (s: Record<string, any>) => void, string][] = [
    [
      'an out-of-range coordinate',
      (s) => (s.cells[0].coords = [7]),
      'cells[0].coords[0]: expected an index into sweep.axes[0].values from 0 to 1, got 7',
    ],
    ['a cell index beyond the grid', (s) => (s.cells[0].index = 5), 'cells[0].index: expected a cell index from 0 to 1, got 5'],
    [
      'coordinates that are not the index',
      (s) => (s.cells[0].coords = [1]),
      'cells[0].coords: expected the coordinates of cell 0, [0], got "[1]"',
    ],
    [
      '2^53 shards',
      (s) => (s.shard.count = 2 ** 53),
      'shard.count: expected a shard count (at most one per cell) from 1 to 2, got 9007199254740992',
    ],
    [
      'a shard count as a string',
      (s) => (s.shard.count = '2'),
      'shard.count: expected a shard count (at most one per cell) from 1 to 2, got "2"',
    ],
    [
      'a verdict of the wrong type',
      (s) => (s.cells[0].verdict = 3),
      'cells[0].verdict: expected "recovered", "slow", "metastable", "overloaded", got 3',
    ],
    [
      'a value that is not a number',
      (s) => (s.sweep.axes[0].values[1] = 'x'),
      'sweep.axes[0].values[1]: expected a finite number, got "x"',
    ],
    ['a malformed fingerprint', (s) => (s.sweep.fingerprint = 42), 'sweep.fingerprint: expected a non-empty string (sha256:…), got 42'],
  ];
  it.each(cases)(
    '%s: exit 2, the file, the field, the value and what was expected; nothing written',
    { timeout: 30_000 },
    async (_, edit, issue) => {
      const out = join(dir, 'merged-bad');
      const bad = shardFile('bad-1.json', 1, 2, edit);
      const r = await stampede(['merge', bad, shardFile('good-2.json', 2, 2), '--out', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`stampede: ${bad}: a damaged shard file, 1 problem`);
      expect(r.stderr).toContain(`  - ${issue}\n`);
      expect(r.stderr).not.toContain('unexpected error');
      expect(existsSync(out)).toBe(false);
    },
  );

  it('shards with different fingerprints are refused', { timeout: 30_000 }, async () => {
    const other = shardFile('other-2.json', 2, 2, (s) => (s.sweep.fingerprint = `sha256:${'1'.repeat(64)}`));
    const r = await stampede(['merge', shardFile('good-1.json', 1, 2), other, '--out', join(dir, 'merged-mixed')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${other} is not a shard of the same sweep as ${join(dir, 'good-1.json')}`);
  });
});

describe('control characters from a topology are escaped on the terminal', () => {
  const forged = '\u001b[2K\rrecovered yes\u009b31m\u202e';

  it('safeText escapes C0, C1, DEL and bidi controls visibly and leaves printable text alone', () => {
    expect(safeText(forged)).toBe('\\x1b[2K\\rrecovered yes\\x9b31m\\u202e');
    expect(safeText('router upgrade: fixed limit — 42 min ✓')).toBe('router upgrade: fixed limit — 42 min ✓');
    expect(safeText('a\tb\nc\u007f')).toBe('a\\tb\\nc\\x7f');
    expect(shellArg("it's\u001b.yaml")).toBe("$'it\\'s\\x1b.yaml'");
  });

  it('a label with escape sequences: the header and the summary print it escaped; --json keeps it', { timeout: 60_000 }, async () => {
    let text = readFileSync(join(repoRoot, SMALL), 'utf8');
    const label = 'label: "router upgrade: fixed connection limit"';
    expect(text).toContain(label);
    text = text.replace(label, 'label: "\\e[2K\\rrecovered yes\\x9b"').replace(/^name: .*$/m, 'name: "evil\\e]0;owned\\a"');
    const file = join(dir, 'evil.yaml');
    writeFileSync(file, text);
    const [r, json] = await Promise.all([stampede(['run', file]), stampede(['run', file, '--json'])]);
    rmSync(file);
    expect(r.code).toBe(0);
    const controls = [...r.stdout].filter((c) => {
      const n = c.charCodeAt(0);
      return (n < 0x20 && c !== '\n') || (n >= 0x7f && n <= 0x9f);
    });
    expect(controls).toEqual([]);
    expect(r.stdout).toContain('— \\x1b[2K\\rrecovered yes\\x9b');
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { name: string }).name).toBe('evil\u001b]0;owned\u0007');
  });
});
