/**
 * `stampede sweep` and `stampede merge`: the heatmap on a fixed result, usage
 * errors (exit code 2, nothing written), and end to end on a 200-delegate
 * copy of the incident: a 3 × 2 sweep run whole, and again as 4 shards on
 * separate processes merged back, byte for byte the same files.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleSweep, type SweepCell, type VerdictKind } from '@stampede/check';
import { plain } from '@stampede/report';
import { afterAll, describe, expect, it } from 'vitest';
import { formatHeatmap } from '../src/heatmap.ts';
import { sweepReportInput } from '../src/sweep-report-input.ts';
import { repoRoot, stampede } from './cli.helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'stampede-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The incident at 200 delegates with the fixed pool sized 90 per router (on the swept grid below). */
function smallIncident(): string {
  let text = readFileSync(join(repoRoot, 'examples/topologies/prod4-incident.yaml'), 'utf8');
  const replace = (from: RegExp, to: string) => {
    expect(text).toMatch(from);
    text = text.replace(from, to);
  };
  replace(/^ {2}count: 2000\b/m, '  count: 200');
  replace(/^ {4}maxConnections: 559\b/m, '    maxConnections: 90');
  replace(/pool: \{ mode: fixed, maxConnections: 559 \}/, 'pool: { mode: fixed, maxConnections: 90 }');
  return text;
}

const file = join(dir, 'incident-200.yaml');
writeFileSync(file, smallIncident());
const GRID = ['--vary', 'timeline[0].pool.maxConnections=60..120:3', '--vary', 'router.pool.pendingAcquireTimeout=15s..45s:2'];

describe('the terminal heatmap', () => {
  it('rows from the highest value down, a letter and time to recover per cell, the own cell in brackets, legend and margin', () => {
    const verdicts: VerdictKind[] = ['metastable', 'recovered', 'recovered', 'overloaded', 'metastable', 'slow'];
    const cells: SweepCell[] = verdicts.map((verdict, index) => ({
      index,
      coords: [index % 3, Math.floor(index / 3)],
      verdict,
      timeToRecoverSec: verdict === 'recovered' ? 150 + 60 * index : null,
      // the cell at index 2 recovered without a storm: its time is the rollout's, and the cell says "no storm"
      storm: index !== 2,
      timeToRecoverFromStormSec: verdict === 'recovered' && index !== 2 ? 90 + 60 * index : null,
      dominantLoop: verdict === 'recovered' ? 'none' : 'abandoned-acquires',
      traceHash: '0',
      evidence: '',
      minConnectedFraction: verdict === 'recovered' ? 0.9 - index / 100 : 0.2 + index / 1000,
      peakPendingAcquires: verdict === 'recovered' ? index : 300 + index,
      routersAdded: index === 5 ? 12 : 0,
    }));
    const result = assembleSweep(
      {
        topology: { name: 't', file: 't.yaml' },
        seed: 1,
        fingerprint: 'f',
        axes: [
          {
            path: 'timeline[0].pool.maxConnections',
            kind: 'number',
            values: [60, 90, 120],
            labels: ['60', '90', '120'],
            own: { value: 90, label: '90', from: 'file' },
          },
          {
            path: 'router.pool.pendingAcquireTimeout',
            kind: 'duration',
            values: [15_000, 45_000],
            labels: ['15s', '45s'],
            own: { value: 45_000, label: '45s', from: 'default' },
          },
        ],
      },
      cells,
    );
    expect(formatHeatmap(result, plain)).toEqual([
      '  rows: router.pool.pendingAcquireTimeout ↑   columns: timeline[0].pool.maxConnections →',
      '      │  60                 90                 120',
      '  ────┼─────────────────────────────────────────────────────────',
      '  45s │  O                [ M               ]  S',
      '      │  20.3% q303 +0r     20.4% q304 +0r     20.5% q305 +12r',
      '  15s │  M                  R 2m30s            R no storm',
      '      │  20.0% q300 +0r     89.0% q1 +0r       88.0% q2 +0r',
      '',
      "  R recovered (time to recover from the storm's start): 2   S slow: 1   M metastable: 2   O overloaded: 1",
      '  under each cell: lowest connected, q peak pending acquires, +r routers the autoscaler added',
      '  unsafe: metastable and overloaded (the fleet does not come back by itself; slow is still recovering at the deadline)',
      "  [ ] the file's own setting: timeline[0].pool.maxConnections 90, router.pool.pendingAcquireTimeout 45s (default)",
      "  The file's own setting (timeline[0].pool.maxConnections 90, router.pool.pendingAcquireTimeout 45s by default) is in an unsafe region (its cell is metastable); the nearest safe cell is slow at timeline[0].pool.maxConnections 120 (+30, +33.3%), router.pool.pendingAcquireTimeout 45s (unchanged)",
    ]);
  });

  it('when the only safe cells are at the edge of a range, says so and gives the sweep to run with that range widened', () => {
    const axis = {
      path: 'timeline[0].pool.maxConnections',
      kind: 'number' as const,
      values: [60, 90, 120],
      labels: ['60', '90', '120'],
      own: { value: 90, label: '90', from: 'file' as const },
    };
    const cells: SweepCell[] = (['metastable', 'metastable', 'recovered'] as const).map((verdict, index) => ({
      index,
      coords: [index],
      verdict,
      timeToRecoverSec: verdict === 'recovered' ? 400 : null,
      storm: true,
      timeToRecoverFromStormSec: verdict === 'recovered' ? 300 : null,
      dominantLoop: verdict === 'recovered' ? 'none' : 'abandoned-acquires',
      traceHash: '0',
      evidence: '',
      minConnectedFraction: verdict === 'recovered' ? 0.31 : 0.2,
      peakPendingAcquires: 50,
      routersAdded: 0,
    }));
    const result = assembleSweep({ topology: { name: 't', file: 'my dir/t.yaml' }, seed: 3, fingerprint: 'f', axes: [axis] }, cells);
    const lines = formatHeatmap(result, plain);
    expect(lines.slice(-2)).toEqual([
      '  Edge of the range: the only safe cells are at the high edge of timeline[0].pool.maxConnections (120): how far the safe region reaches beyond it is unknown, and it may be barely safe; widen it upward: --vary timeline[0].pool.maxConnections=60..180:5',
      "    try: stampede sweep 'my dir/t.yaml' --vary 'timeline[0].pool.maxConnections=60..180:5' --seed 3",
    ]);
    // the report's replay block: the sweep command that produced the result
    expect(sweepReportInput(result).command).toBe(
      "stampede sweep 'my dir/t.yaml' --vary 'timeline[0].pool.maxConnections=60..120:3' --seed 3",
    );
    expect(sweepReportInput(result).marginText).toContain('Edge of the range: the only safe cells are at the high edge');
    // the boundary at the low edge (only the first cell unsafe) is an edge too; no unsafe cell at all is not
    const grid = (verdicts: SweepCell['verdict'][]) =>
      assembleSweep(
        { topology: { name: 't', file: 't.yaml' }, seed: 3, fingerprint: 'f', axes: [axis] },
        cells.map((c) => ({ ...c, verdict: verdicts[c.index]! })),
      );
    expect(formatHeatmap(grid(['metastable', 'recovered', 'recovered']), plain).at(-1)).toBe(
      "    try: stampede sweep t.yaml --vary 'timeline[0].pool.maxConnections=30..120:5' --seed 3",
    );
    const inner = grid(['recovered', 'recovered', 'slow']);
    expect(formatHeatmap(inner, plain).some((l) => l.includes('Edge of the range'))).toBe(false);
  });
});

describe('stampede sweep: usage errors exit with 2 before anything runs', () => {
  const out = join(dir, 'never-written');
  it.each([
    ['no --vary', [], 'stampede: a sweep varies one or two fields (a line or a grid), got 0 --vary options'],
    [
      'three --vary',
      [...GRID, '--vary', 'delegates.reconnect.delay=1s..5s'],
      'stampede: a sweep varies one or two fields (a line or a grid), got 3 --vary options',
    ],
    [
      'a --vary without a range',
      ['--vary', 'timeline[0].pool.maxConnections=60'],
      'stampede: --vary "timeline[0].pool.maxConnections=60": expected a range FROM..TO[:STEPS] after "="',
    ],
    [
      'an unknown key in the path',
      ['--vary', 'timeline[0].pool.maxConection=60..120:3'],
      'timeline[0].pool.maxConection: unknown key "maxConection" (did you mean "maxConnections"?)',
    ],
    [
      'a router.pool key the rollout overrides',
      ['--vary', 'router.pool.maxConnections=60..120:3'],
      'stampede: --vary router.pool.maxConnections: the router rollout timeline[0] (at 10m) sets pool.maxConnections: 90',
    ],
    [
      'a value the schema rejects',
      ['--vary', 'timeline[0].pool.maxConnections=0..120:3'],
      'with timeline[0].pool.maxConnections=0: 1 problem:\n  - timeline[0].pool.maxConnections: expected an integer from 1 to 100000 (upstream connection slots per router pod), got 0',
    ],
    ['a shard beyond N', [...GRID, '--shard', '5/4'], 'stampede: --shard "5/4": expected I/N with 1 ≤ I ≤ N'],
    ['more shards than cells', [...GRID, '--shard', '7/7'], 'stampede: --shard 7/7: the sweep has only 6 cells; use at most 6 shards'],
    ['zero workers', [...GRID, '--workers', '0'], "stampede sweep: option '-w, --workers <n>' argument '0' is invalid."],
  ])('%s', async (_name, args, message) => {
    const r = await stampede(['sweep', file, ...args, '--out', out]);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2); // one line (a topology problem: its list)
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('a missing topology file and an --out that cannot be a directory', async () => {
    const missing = await stampede(['sweep', join(dir, 'nope.yaml'), ...GRID]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read topology file '${join(dir, 'nope.yaml')}': no such file (ENOENT)`);
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    const badOut = await stampede(['sweep', file, ...GRID, '--out', join(blocker, 'sub')]);
    expect(badOut.code).toBe(2);
    expect(badOut.stderr).toContain(
      `cannot write the --out directory '${join(blocker, 'sub')}': '${blocker}' is a file, not a directory (ENOTDIR)`,
    );
  });
});

describe('stampede sweep and merge, end to end (200 delegates, 3 × 2 cells)', () => {
  const whole = join(dir, 'whole');
  const sharded = join(dir, 'sharded');
  const merged = join(dir, 'merged');
  const shardFile = (i: number) => join(sharded, `shard-${i}-of-4.json`);

  it('4 shards merged write exactly the bytes of one run; --json prints the result alone', { timeout: 600_000 }, async () => {
    const one = await stampede(['sweep', file, ...GRID, '--out', whole, '--json']);
    // off a terminal the only words on stderr are progress lines: the last one says every cell is judged
    expect(one.stderr).toMatch(
      /^(stampede sweep: \d of 6 cells judged, [\d.]+ s elapsed\n)*stampede sweep: 6 of 6 cells judged, [\d.]+ s elapsed\n$/,
    );
    expect(one.code).toBe(0);
    expect(one.stdout.trimEnd().split('\n')).toHaveLength(1);
    const json = readFileSync(join(whole, 'sweep.json'), 'utf8');
    expect(JSON.parse(one.stdout)).toStrictEqual(JSON.parse(json));
    const result = JSON.parse(json);
    expect(result.cells).toHaveLength(6);
    expect(result.axes.map((a: { own: unknown }) => a.own)).toEqual([
      { value: 90, label: '90', from: 'file' },
      { value: 45_000, label: '45s', from: 'file' },
    ]);
    expect(result.margin.own).toMatchObject({ coords: [1, 1], onGrid: true, inRange: true });
    expect(json).not.toMatch(/elapsed|wall|duration_?ms/i); // no wall-clock value in a result
    // every cell carries its severity from the oracle's judged run
    for (const c of result.cells) {
      expect(c.minConnectedFraction).toBeGreaterThanOrEqual(0);
      expect(c.minConnectedFraction).toBeLessThanOrEqual(1);
      expect(Number.isInteger(c.peakPendingAcquires) && Number.isInteger(c.routersAdded)).toBe(true);
    }
    expect(
      result.cells.some((c: { verdict: string; peakPendingAcquires: number }) => c.verdict === 'metastable' && c.peakPendingAcquires > 0),
    ).toBe(true);
    expect(readFileSync(join(whole, 'sweep.csv'), 'utf8').split('\n')[0]).toMatch(
      /,evidence,min_connected_fraction,peak_pending_acquires,routers_added$/,
    );

    // two shards at a time, one worker each: 2 cores, as the whole run
    const shard = (i: number) => stampede(['sweep', file, ...GRID, '--out', sharded, '--shard', `${i}/4`, '--workers', '1']);
    const shards = [...(await Promise.all([shard(1), shard(2)])), ...(await Promise.all([shard(3), shard(4)]))];
    for (const [i, s] of shards.entries()) {
      expect(s.stderr).toMatch(
        /^(stampede sweep: 1 of 2 cells judged, [\d.]+ s elapsed\n)?stampede sweep: ([12]) of \2 cells judged, [\d.]+ s elapsed\n$/,
      );
      expect(s.code).toBe(0);
      expect(s.stdout).toContain(`shard ${i + 1}/4: ${i < 2 ? 2 : 1} cell`);
      expect(s.stdout).toContain(`wrote ${shardFile(i + 1)}`);
    }
    expect(existsSync(join(sharded, 'sweep.json'))).toBe(false);

    const refusedOut = join(dir, 'refused');
    const refused = await stampede(['sweep', file, ...GRID, '--shard', '1/4', '--report', join(dir, 'part.html'), '--out', refusedOut]);
    expect(refused.code).toBe(2);
    expect(existsSync(refusedOut)).toBe(false); // refused before anything was created
    expect(refused.stderr).toContain(
      '--report needs the whole map and a shard holds part of it (--shard 1/4 makes this a shard): pass --report to stampede merge instead',
    );

    const page = join(merged, 'map.html');
    const m = await stampede(['merge', shardFile(3), shardFile(1), shardFile(4), shardFile(2), '--out', merged, '--report', page]);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    const html = readFileSync(page, 'utf8');
    expect(html.match(/<td class="(recovered|slow|metastable|overloaded)( own)?"/g)).toHaveLength(6);
    expect(html.match(/<td class="[a-z]+ own"/g)).toHaveLength(1); // the file's own setting, outlined
    expect(html).toContain('<th class="row">45s</th>'); // durations as the file writes them, not milliseconds
    // the replay block is the shards' sweep command without --shard, not the merge
    expect(html).toContain(
      `<h2>Replay</h2><pre class="mono">stampede sweep ${file} --vary &#39;timeline[0].pool.maxConnections=60..120:3&#39; --vary router.pool.pendingAcquireTimeout=15s..45s:2 --seed 1</pre>`,
    );
    expect(html).not.toContain('stampede merge');
    expect(html).toMatch(/title="[^"]*lowest connected \d+\.\d%, peak pending acquires \d+, routers added \d+/);
    expect(m.stdout).toContain(`wrote ${join(merged, 'sweep.json')}, ${join(merged, 'sweep.csv')}, ${page}`);
    expect(readFileSync(join(merged, 'sweep.json'), 'utf8')).toBe(json);
    expect(readFileSync(join(merged, 'sweep.csv'), 'utf8')).toBe(readFileSync(join(whole, 'sweep.csv'), 'utf8'));
    expect(m.stdout).toContain('rows: router.pool.pendingAcquireTimeout ↑   columns: timeline[0].pool.maxConnections →');
    const summary: string = result.margin.summary;
    expect(m.stdout).toContain(summary.charAt(0).toUpperCase() + summary.slice(1));
  });

  it('merge refuses a missing shard, a shard given twice and a shard of another sweep, writing nothing', async () => {
    const target = join(dir, 'bad-merge');
    const missing = await stampede(['merge', shardFile(1), shardFile(2), shardFile(4), '--out', target]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('stampede: cannot merge: missing shard 3/4 (cells 2): run it with --shard I/4 and pass its file too\n');
    const twice = await stampede(['merge', shardFile(1), shardFile(2), shardFile(3), shardFile(4), shardFile(2), '--out', target]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toBe(`stampede: cannot merge: shard 2/4 is given 2 times (${shardFile(2)} and ${shardFile(2)})\n`);

    const other = join(dir, 'other-seed.json');
    const data = JSON.parse(readFileSync(shardFile(2), 'utf8'));
    data.sweep.seed = 9;
    data.sweep.fingerprint = 'sha256:another';
    writeFileSync(other, JSON.stringify(data));
    const mixed = await stampede(['merge', shardFile(1), other, shardFile(3), shardFile(4), '--out', target]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe(
      `stampede: ${other} is not a shard of the same sweep as ${shardFile(1)}: seed 9 vs 1; merge the shards of one sweep (same file, --vary and --seed)\n`,
    );

    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, 'shard?');
    const bad = await stampede(['merge', notJson, join(dir, 'absent.json'), '--out', target]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`stampede: ${notJson}: not JSON (`);
    const absent = await stampede(['merge', join(dir, 'absent.json')]);
    expect(absent.stderr).toContain(`cannot read shard file '${join(dir, 'absent.json')}': no such file`);
    expect(existsSync(target)).toBe(false);
  });

  it('kept cells of an interrupted sweep: resumed when they are this sweep’s, refused when not, discarded by --restart', {
    timeout: 300_000,
  }, async () => {
    const result = JSON.parse(readFileSync(join(whole, 'sweep.json'), 'utf8'));
    const definition = { topology: result.topology, seed: result.seed, fingerprint: result.fingerprint, axes: result.axes };
    const header = (sweep: object) => JSON.stringify({ format: 'stampede-sweep-partial', version: 1, sweep, shard: null });
    const journalIn = (name: string, lines: string[]) => {
      const out = join(dir, name);
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'cells.partial.jsonl'), `${lines.join('\n')}`);
      return out;
    };
    const cell = (i: number) => JSON.stringify(result.cells[i]);

    // cells 0 and 4 kept, and a last line the interruption cut short: 4 cells judged now, the same bytes as one run
    const resumeOut = journalIn('resume', [header(definition), cell(0), cell(4), '{"index":1,"coo']);
    const resumed = await stampede(['sweep', file, ...GRID, '--out', resumeOut]);
    expect(resumed.stderr).toMatch(
      /^(stampede sweep: \d of 6 cells judged, [\d.]+ s elapsed\n)*stampede sweep: 6 of 6 cells judged, [\d.]+ s elapsed\n$/,
    );
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resuming: 2 of 6 cells already judged (kept in ${join(resumeOut, 'cells.partial.jsonl')};`);
    expect(resumed.stdout).toMatch(/\n4 cells in .* \(and 2 kept from before\)\n$/);
    expect(readFileSync(join(resumeOut, 'sweep.json'), 'utf8')).toBe(readFileSync(join(whole, 'sweep.json'), 'utf8'));
    expect(existsSync(join(resumeOut, 'cells.partial.jsonl'))).toBe(false);

    // another seed's cells: refused before any work, naming the difference and the way out; nothing written
    const otherOut = journalIn('other', [header({ ...definition, seed: 9, fingerprint: 'sha256:another' }), cell(0)]);
    const other = await stampede(['sweep', file, ...GRID, '--out', otherOut]);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      `stampede: ${join(otherOut, 'cells.partial.jsonl')} holds the finished cells of another sweep (the kept cells vs this command: seed 9 vs 1); rerun with --restart to discard them and start over, or pass another --out\n`,
    );
    expect(existsSync(join(otherOut, 'sweep.json'))).toBe(false);

    // a damaged cell in the middle (not a cut-short last line): refused, with the field
    const badCell = { ...result.cells[2], coords: [7, 0] };
    const damagedOut = journalIn('damaged', [header(definition), JSON.stringify(badCell), cell(3), '']);
    const damaged = await stampede(['sweep', file, ...GRID, '--out', damagedOut]);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toContain('holds the finished cells of an interrupted sweep but it is damaged (cells[0].coords[0]: expected');
    expect(damaged.stderr).toContain('rerun with --restart');

    // --restart: the other sweep's cells go, every cell is judged, the same bytes again
    const restarted = await stampede(['sweep', file, ...GRID, '--out', otherOut, '--restart', '--json']);
    expect(restarted.code).toBe(0);
    expect(readFileSync(join(otherOut, 'sweep.json'), 'utf8')).toBe(readFileSync(join(whole, 'sweep.json'), 'utf8'));
    expect(existsSync(join(otherOut, 'cells.partial.jsonl'))).toBe(false);
  });
});
