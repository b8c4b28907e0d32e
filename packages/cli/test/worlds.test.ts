/**
 * `stampede demo --worlds` end to end on a small worlds file (the 200-delegate
 * incident, cancel-on-give-up × stale-release × service-time distribution,
 * seeds 1 and 2): calibration
 * pinned (which worlds reproduce the observations, what they rule out), the
 * robust scoreboard, the same result from two shards merged, and the options
 * that do not go together refused.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorldsResult } from '@stampede/check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, stampede } from './cli.helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-worlds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SMALL = 'packages/check/test/fixtures/worlds/small.yaml';

describe('stampede demo --worlds', { timeout: 300_000 }, () => {
  let whole: CliResult;
  let result: WorldsResult;
  beforeAll(async () => {
    whole = await stampede(['demo', '--worlds', SMALL, '--json', '--workers', '2']);
    result = JSON.parse(whole.stdout) as WorldsResult;
  }, 300_000);

  it('calibrates: the worlds where the small incident stays down until the rollback and comes back after it', () => {
    expect(whole.code, whole.stderr).toBe(0);
    expect(result.worlds.map((w) => w.description)).toEqual([
      'cancel-on-give-up=false, stale-release=30s, service-times=fixed',
      'cancel-on-give-up=false, stale-release=30s, service-times=exponential',
      'cancel-on-give-up=false, stale-release=2m, service-times=fixed',
      'cancel-on-give-up=false, stale-release=2m, service-times=exponential',
      'cancel-on-give-up=true, stale-release=30s, service-times=fixed',
      'cancel-on-give-up=true, stale-release=30s, service-times=exponential',
      'cancel-on-give-up=true, stale-release=2m, service-times=fixed',
      'cancel-on-give-up=true, stale-release=2m, service-times=exponential',
    ]);
    // at 200 delegates, a client that cancels its acquire, or stale slots released after 30 s, end the storm within
    // minutes: not what was observed; the service-time distribution changes nothing the observations can see
    expect(result.calibration.consistent).toEqual([2, 3]);
    expect(
      result.calibration.assumptions.map((a) => [a.name, a.status, a.values.map((v) => [v.label, v.consistent, v.ruledOutBy])]),
    ).toEqual([
      [
        'cancel-on-give-up',
        'pinned',
        [
          ['false', 2, undefined],
          ['true', 0, 'down until the rollback'],
        ],
      ],
      [
        'stale-release',
        'pinned',
        [
          ['30s', 0, 'down until the rollback'],
          ['2m', 2, undefined],
        ],
      ],
      [
        'service-times',
        'open',
        [
          ['fixed', 1, undefined],
          ['exponential', 1, undefined],
        ],
      ],
    ]);
    for (const w of result.calibration.worlds.filter((x) => !x.consistent))
      expect(w.observations[0]!.detail).toMatch(/^seed 1: connected \d+\.\d% at 15:35, not below 50\.0%$/);
  });

  it('judges the incident and each action in every consistent world, on every seed', () => {
    const rows = result.scoreboard.rows.map((r) => [r.name, r.finding, r.helps, r.cells.length]);
    expect(rows).toEqual([
      ['incident', 'robust-fails', 0, 2],
      ['headroom', 'robust-helps', 2, 2],
      ['longer timeout', 'robust-fails', 0, 2],
    ]);
    for (const row of result.scoreboard.rows) for (const cell of row.cells) expect(cell.runs.map((r) => r.seed)).toEqual([1, 2]);
  });

  it('prints calibration and the scoreboard in words, and writes the matrix page', async () => {
    const report = join(dir, 'worlds.html');
    const text = await stampede(['demo', '--worlds', SMALL, '--workers', '2', '--report', report]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('consistent worlds: 2 of 8');
    expect(text.stdout).toContain('cancel-on-give-up = false (true ruled out by "down until the rollback")');
    expect(text.stdout).toContain('stale-release = 2m (30s ruled out by "down until the rollback")');
    expect(text.stdout).toContain('service-times: fixed 1, exponential 1');
    expect(text.stdout).toMatch(/headroom\s+│ 2 of 2\s+│ robust: helps/);
    expect(text.stdout).toMatch(/longer timeout\s+│ 0 of 2\s+│ robust: does not help/);
    const page = readFileSync(report, 'utf8');
    expect(page).toContain('class="heatmap worlds-matrix"');
    expect(page.match(/<td class="recovered" title="seed 1: recovered/g)).toHaveLength(2); // headroom in both worlds
  });

  it('two shards merged give the result of one run', async () => {
    const out = join(dir, 'shards');
    const shards = await Promise.all(
      [1, 2].map((i) => stampede(['demo', '--worlds', SMALL, '--workers', '1', '--out', out], { STAMPEDE_SHARD: `${i}/2` })),
    );
    for (const s of shards) expect(s.code, s.stderr).toBe(0);
    const files = [2, 1].map((i) => join(out, `worlds-shard-${i}-of-2.json`));
    for (const f of files) expect(existsSync(f)).toBe(true);
    const merged = await stampede(['merge', ...files, '--json']);
    expect(merged.code, merged.stderr).toBe(0);
    expect(JSON.parse(merged.stdout)).toStrictEqual(result);
    const missing = await stampede(['merge', files[0]!]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('the shards cover 4 of 8 worlds; missing shard 1/2');
  });

  it('refuses options that do not go together, before running anything', async () => {
    const seed = await stampede(['demo', '--worlds', SMALL, '--seed', '3']);
    expect([seed.code, seed.stderr]).toEqual([
      2,
      expect.stringContaining('--seed does not apply with --worlds: the worlds file lists its seeds'),
    ]);
    const json = await stampede(['demo', '--json']);
    expect([json.code, json.stderr]).toEqual([2, expect.stringContaining('--json only works with --worlds FILE')]);
    const out = await stampede(['demo', '--worlds', SMALL, '--out', join(dir, 'x')]);
    expect([out.code, out.stderr]).toEqual([2, expect.stringContaining('--out is where a shard file goes: use it with --shard I/N')]);
    const missing = await stampede(['demo', '--worlds', join(dir, 'nope.yaml')]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      expect.stringContaining(`cannot read worlds file '${join(dir, 'nope.yaml')}': no such file`),
    ]);
  });
});
