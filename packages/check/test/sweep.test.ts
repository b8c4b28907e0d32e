/**
 * Sweeps without simulation: parsing `--vary`, planning a sweep of the
 * incident file (paths, the rollout-override trap, own settings, every cell
 * validated), the margin on synthetic grids, and shards merged back into the
 * result of one run. The CLI suite runs real cells (packages/cli/test/sweep.test.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULTS, readTopologyYaml, TopologyError } from '@stampede/model';
import { describe, expect, it } from 'vitest';
import {
  assembleSweep,
  cellCoords,
  cellIndex,
  makeShard,
  mergeShards,
  parseShard,
  parseVary,
  planSweep,
  type SweepAxis,
  type SweepCell,
  type SweepDefinition,
  SweepError,
  shardCellIndices,
  sweepEdges,
  sweepMargin,
  sweepToCsv,
  sweepToJson,
  type VerdictKind,
} from '../src/index.ts';

const incidentFile = fileURLToPath(new URL('../../../examples/topologies/prod4-incident.yaml', import.meta.url));
const incident = () => readTopologyYaml(readFileSync(incidentFile, 'utf8'), 'prod4-incident.yaml');

/** The SweepError (or other error) message `fn` throws. */
function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('--vary PATH=FROM..TO[:STEPS]', () => {
  it('spaces numbers evenly, both ends included, and reads list indices as [N] or .N', () => {
    const a = parseVary('timeline[0].pool.maxConnections=300..800:6');
    expect(a).toMatchObject({ path: 'timeline[0].pool.maxConnections', kind: 'number', values: [300, 400, 500, 600, 700, 800] });
    expect(a.segments).toEqual(['timeline', 0, 'pool', 'maxConnections']);
    expect(parseVary('timeline.0.pool.maxConnections=300..800:6')).toStrictEqual(a);
    expect(parseVary('a.b=0.1..0.5').values).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]); // default 5 steps, no float noise
  });

  it('durations are milliseconds, rounded to whole seconds when both ends are, and labelled as a topology writes them', () => {
    const a = parseVary('router.pool.pendingAcquireTimeout=15s..2m:5');
    expect(a).toMatchObject({ kind: 'duration', values: [15_000, 41_000, 68_000, 94_000, 120_000] });
    expect(a.labels).toEqual(['15s', '41s', '1m8s', '1m34s', '2m']);
    expect(parseVary('x=1s..1.5s:3').values).toEqual([1_000, 1_250, 1_500]);
  });

  it('whole-number ends give whole numbers; the duplicates rounding makes are dropped, with a note', () => {
    const a = parseVary('x=1..3:5');
    expect(a.values).toEqual([1, 2, 3]);
    expect(a.notes).toEqual([
      'x: 5 steps from 1 to 3 round to 3 distinct whole values (1, 2, 3); the 2 duplicates dropped (for fractional values write the ends with a decimal point, e.g. 1.0..3)',
    ]);
    expect(parseVary('x=1.0..3:5').values).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(parseVary('x=300..800:6').notes).toEqual([]);
  });

  it.each([
    ['a', '--vary "a": expected PATH=FROM..TO[:STEPS], e.g. --vary timeline[0].pool.maxConnections=300..800:6'],
    ['a..b=1..2', '--vary "a..b=1..2": "a..b" is not a path into the topology; write keys separated by dots and list items as [N]'],
    ['.a=1..2', '".a" is not a path into the topology'],
    ['a[0]b=1..2', '"a[0]b" is not a path into the topology'],
    ['a=300', '--vary "a=300": expected a range FROM..TO[:STEPS] after "=", got "300"'],
    ['a=abc..5', '--vary "a=abc..5": "abc" is not a number or a duration (expected a duration such as 15s, 5m or 250ms, got "abc")'],
    ['a=300..15s', '--vary "a=300..15s": both ends must be plain numbers or both durations, got 300 and 15s'],
    ['a=800..300', '--vary "a=800..300": FROM must be below TO, got 800..300 (write 300..800)'],
    ['a=5..5', '--vary "a=5..5": FROM must be below TO, got 5..5'],
    ['a=1..2:1', '--vary "a=1..2:1": STEPS must be a whole number from 2 to 100 (the number of values, both ends included), got "1"'],
    ['a=1..2:101', 'STEPS must be a whole number from 2 to 100'],
    ['a=1..2:x', 'got "x"'],
  ])('rejects %s, saying what to write', (spec, message) => {
    expect(() => parseVary(spec)).toThrow(SweepError);
    expect(failure(() => parseVary(spec))).toContain(message);
  });
});

describe('planning a sweep of the incident file', () => {
  const grid = () => [parseVary('timeline[0].pool.maxConnections=400..1000:4'), parseVary('router.pool.pendingAcquireTimeout=15s..2m:3')];

  it('resolves every cell with its values set where the path says, the first axis varying fastest', () => {
    const plan = planSweep(incident(), 'prod4-incident.yaml', grid());
    expect(plan.name).toBe('prod4-incident');
    expect(plan.cells).toHaveLength(12);
    const cell = plan.cells[cellIndex([2, 1], [4, 3])]!;
    const rollout = cell.timeline[0]!;
    expect(rollout.kind === 'rollout' && rollout.pool).toMatchObject({ mode: 'fixed', maxConnections: 800 });
    expect(cell.router.pool.pendingAcquireTimeoutMs).toBe(68_000);
    expect(cell.router.pool.maxConnections).toBe(559); // untouched: only the path swept changes
    expect(cell.delegates.count).toBe(2000);
  });

  it("takes the file's own settings as written", () => {
    const [maxConnections, timeout] = planSweep(incident(), 'prod4-incident.yaml', grid()).axes as [SweepAxis, SweepAxis];
    expect(maxConnections.own).toEqual({ value: 559, label: '559', from: 'file' });
    expect(timeout.own).toEqual({ value: 45_000, label: '45s', from: 'file' });
  });

  it('takes the value in effect when the file leaves the path out: a default, or router.pool for a rollout pool', () => {
    const doc = incident() as { router: { pool: Record<string, unknown>; strategy: Record<string, unknown> } };
    delete doc.router.pool.pendingAcquireTimeout;
    delete doc.router.strategy.minReadySeconds;
    const plan = planSweep(doc, 'prod4-incident.yaml', [
      parseVary('router.pool.pendingAcquireTimeout=15s..2m:3'),
      parseVary('router.strategy.minReadySeconds=0..20:3'), // seconds in the file, milliseconds resolved
    ]);
    expect(plan.axes[0]!.own).toEqual({ value: DEFAULTS.router.pool.pendingAcquireTimeoutMs, label: '45s', from: 'default' });
    expect(plan.axes[1]!.own).toEqual({ value: 0, label: '0', from: 'default' });
    const rolloutPool = planSweep(incident(), 'prod4-incident.yaml', [parseVary('timeline[0].pool.staleConnectionRelease=30s..4m:3')]);
    expect(rolloutPool.axes[0]!.own).toEqual({ value: 120_000, label: '2m', from: 'default' }); // router.pool's 120s
  });

  it('refuses router.pool.KEY when the router rollout overrides KEY, naming the field to vary instead', () => {
    const message = failure(() => planSweep(incident(), 'prod4-incident.yaml', [parseVary('router.pool.maxConnections=400..1000:4')]));
    expect(message).toBe(
      '--vary router.pool.maxConnections: the router rollout timeline[0] (at 10m) sets pool.maxConnections: 559 for every pod it starts, so router.pool.maxConnections does not reach the pods the storm hits; vary timeline[0].pool.maxConnections instead',
    );
  });

  it('an unknown key in the path fails with the loader’s did-you-mean, before anything runs', () => {
    const err = (() => {
      try {
        planSweep(incident(), 'prod4-incident.yaml', [parseVary('timeline[0].pool.maxConection=400..1000:4')]);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(TopologyError);
    expect((err as TopologyError).issues).toEqual([
      { path: 'timeline[0].pool.maxConection', message: 'unknown key "maxConection" (did you mean "maxConnections"?)' },
    ]);
    expect((err as TopologyError).message).toContain('prod4-incident.yaml with timeline[0].pool.maxConection=400');
    expect(failure(() => planSweep(incident(), 'f.yaml', [parseVary('router.pol.maxConnections=1..2')]))).toContain(
      'router.pol: unknown key "pol" (did you mean "pool"?)',
    );
  });

  it.each([
    [
      'timeline[7].pool.maxConnections=1..2',
      '--vary timeline[7].pool.maxConnections: timeline has 3 items ([0] to [2]), so there is no [7]',
    ],
    ['router[0].replicas=1..2', '--vary router[0].replicas: router is a mapping, not a list; [0] only indexes a list'],
    ['timeline.pool=1..2', '--vary timeline.pool: timeline is a list; pick an item first, e.g. timeline[0].pool'],
    ['router.pool=1..2', '--vary router.pool: that is a mapping in the file, not a number or a duration; name one of its fields'],
    ['router.replicas.count=1..2', '--vary router.replicas.count: router.replicas is 4, not a mapping with keys'],
    [
      'validationGate.bogus[1]=1..2',
      '--vary validationGate.bogus[1]: validationGate.bogus is not in the file, so it has no item [1]; vary a field the file has',
    ],
    [
      'timline[0].pool.maxConnections=1..2',
      '--vary timline[0].pool.maxConnections: timline is not in the file, so it has no item [0]; did you mean timeline[0]?',
    ],
  ])('a path that leads nowhere: %s', (spec, message) => {
    expect(failure(() => planSweep(incident(), 'f.yaml', [parseVary(spec)]))).toBe(message);
  });

  it('validates every value of every cell: a bad one is the loader’s error naming the cell', () => {
    const zero = failure(() => planSweep(incident(), 'f.yaml', [parseVary('timeline[0].pool.maxConnections=0..100:3')]));
    expect(zero).toBe(
      'f.yaml with timeline[0].pool.maxConnections=0: 1 problem:\n  - timeline[0].pool.maxConnections: expected an integer from 1 to 100000 (upstream connection slots per router pod), got 0',
    );
    const duration = failure(() => planSweep(incident(), 'f.yaml', [parseVary('timeline[0].pool.maxConnections=1s..2s')]));
    expect(duration).toContain('timeline[0].pool.maxConnections: expected a positive integer, got "1s"');
    const manager = failure(() => planSweep(incident(), 'f.yaml', [parseVary('timeline[1].pool.maxConnections=100..200')]));
    expect(manager).toContain('no pool on a manager rollout');
  });

  it('one or two axes, two different ones', () => {
    expect(failure(() => planSweep(incident(), 'f.yaml', []))).toContain(
      'a sweep varies one or two fields (a line or a grid), got 0 --vary options',
    );
    const three = [...grid(), parseVary('delegates.reconnect.delay=1s..10s')];
    expect(failure(() => planSweep(incident(), 'f.yaml', three))).toContain('got 3 --vary options');
    const twice = [parseVary('delegates.reconnect.delay=1s..10s'), parseVary('delegates.reconnect.delay=1s..20s')];
    expect(failure(() => planSweep(incident(), 'f.yaml', twice))).toBe(
      '--vary delegates.reconnect.delay is given twice; vary two different fields, or one field with more STEPS',
    );
  });

  it('cell index and coordinates are inverse, the first axis varying fastest', () => {
    const sizes = [4, 3];
    expect(cellCoords(5, sizes)).toEqual([1, 1]);
    for (let i = 0; i < 12; i++) expect(cellIndex(cellCoords(i, sizes), sizes)).toBe(i);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Synthetic grids: 4 maxConnections × 3 timeouts, verdicts written as rows from the lowest timeout up.

function axis(path: string, values: number[], own: number | null, kind: 'number' | 'duration' = 'number'): SweepAxis {
  const label = (v: number) => (kind === 'duration' ? `${v / 1000}s` : String(v));
  return { path, kind, values, labels: values.map(label), own: own === null ? null : { value: own, label: label(own), from: 'file' } };
}

const LETTER: Record<string, VerdictKind> = { R: 'recovered', S: 'slow', M: 'metastable', O: 'overloaded' };

/** Cells from rows of letters (row r = second-axis value r; one row: a single axis), in index order. */
function cellsOf(rows: string[]): SweepCell[] {
  const sizes = rows.length === 1 ? [rows[0]!.length] : [rows[0]!.length, rows.length];
  return rows.flatMap((row, r) =>
    [...row].map((letter, c) => ({
      index: cellIndex(rows.length === 1 ? [c] : [c, r], sizes),
      coords: rows.length === 1 ? [c] : [c, r],
      verdict: LETTER[letter]!,
      timeToRecoverSec: letter === 'R' ? 100 + c : null,
      storm: true,
      timeToRecoverFromStormSec: letter === 'R' ? 60 + c : null,
      dominantLoop: letter === 'R' ? ('none' as const) : ('abandoned-acquires' as const),
      traceHash: `hash${c}${r}`,
      evidence: `cell ${c},${r}, with "quotes", commas`,
      minConnectedFraction: letter === 'R' ? 0.5 + c / 10 : 0.2,
      peakPendingAcquires: letter === 'R' ? 10 * c : 900 + r,
      routersAdded: r,
    })),
  );
}

const mc = (own: number | null = 600) => axis('timeline[0].pool.maxConnections', [400, 600, 800, 1000], own);
const to = (own: number | null = 45_000) => axis('router.pool.pendingAcquireTimeout', [15_000, 45_000, 120_000], own, 'duration');

describe('the margin of the own setting', () => {
  it('is the nearest unsafe cell, each axis scaled by its range, per axis as value and change', () => {
    // own point (600, 45s) recovered; unsafe: (400, 45s) one column left = 200/600 = 0.333; (600, 120s) = 75/105 = 0.714
    const m = sweepMargin([mc(), to()], cellsOf(['MRRR', 'MRRR', 'RMRR']));
    expect(m.status).toBe('margin');
    expect(m.own).toEqual({ index: 5, coords: [1, 1], verdict: 'recovered', onGrid: true, inRange: true });
    expect(m.nearestUnsafe).toMatchObject({ index: 4, coords: [0, 1], verdict: 'metastable', distance: 0.333333333333 });
    expect(m.nearestUnsafe!.axes).toEqual([
      { path: 'timeline[0].pool.maxConnections', value: 400, label: '400', change: -200, changeLabel: '-200', changePct: -33.3 },
      { path: 'router.pool.pendingAcquireTimeout', value: 45_000, label: '45s', change: 0, changeLabel: '±0', changePct: 0 },
    ]);
    expect(m.summary).toBe(
      "margin: the nearest unsafe cell to the file's own setting (timeline[0].pool.maxConnections 600, router.pool.pendingAcquireTimeout 45s) is metastable at timeline[0].pool.maxConnections 400 (-200, -33.3%), router.pool.pendingAcquireTimeout 45s (unchanged)",
    );
  });

  it('an axis with a wide range counts less per unit: the nearer cell in normalised distance wins', () => {
    // unsafe at (600, 15s): 30/105 = 0.286 beats (400, 45s): 200/600 = 0.333
    const m = sweepMargin([mc(), to()], cellsOf(['RMRR', 'MRRR', 'RRRR']));
    expect(m.nearestUnsafe).toMatchObject({ coords: [1, 0], distance: 0.285714285714 });
    expect(m.nearestUnsafe!.axes[1]).toMatchObject({ change: -30_000, changeLabel: '-30s', changePct: -66.7 });
  });

  it('ties go to the lower cell index', () => {
    const m = sweepMargin([mc(600), axis('x', [0, 1, 2], 1)], cellsOf(['RRRR', 'MRMR', 'RRRR']));
    expect(m.nearestUnsafe!.coords).toEqual([0, 1]);
  });

  it('an own setting in an unsafe region says so and gives the nearest safe cell', () => {
    const m = sweepMargin([mc(), to()], cellsOf(['MMRR', 'OMRR', 'MMRS']));
    expect(m.status).toBe('own-unsafe');
    expect(m.nearestSafe).toMatchObject({ coords: [2, 1], verdict: 'recovered' });
    expect(m.summary).toBe(
      "the file's own setting (timeline[0].pool.maxConnections 600, router.pool.pendingAcquireTimeout 45s) is in an unsafe region (its cell is metastable); the nearest safe cell is recovered at timeline[0].pool.maxConnections 800 (+200, +33.3%), router.pool.pendingAcquireTimeout 45s (unchanged)",
    );
    expect(sweepMargin([mc(), to()], cellsOf(['MMMM', 'OMMM', 'MMMO'])).summary).toContain('no safe cell in the swept range');
  });

  it('slow is not unsafe; with no unsafe cell it says so and gives the range', () => {
    const m = sweepMargin([mc(), to()], cellsOf(['SRRR', 'SSRR', 'RRRR']));
    expect(m).toMatchObject({ status: 'no-unsafe', nearestUnsafe: null, nearestSafe: null });
    expect(m.summary).toBe(
      'no unsafe cell in the swept range (timeline[0].pool.maxConnections 400–1000, router.pool.pendingAcquireTimeout 15s–120s)',
    );
  });

  it('an own point between grid values takes the verdict of the nearest cell; outside the range it says so', () => {
    const between = sweepMargin([mc(650), to()], cellsOf(['RRRR', 'MRRR', 'RRRR']));
    expect(between.own).toMatchObject({ coords: [1, 1], onGrid: false, inRange: true });
    expect(between.nearestUnsafe!.axes[0]).toMatchObject({ value: 400, change: -250, changePct: -38.5 });
    const outside = sweepMargin([mc(1500), to()], cellsOf(['RRRR', 'MRRR', 'RRRR']));
    expect(outside.own).toMatchObject({ coords: [3, 1], inRange: false });
    expect(outside.summary).toMatch(
      /^the file's own setting .* lies outside the swept range \(.*\); margin: the nearest unsafe cell to it is metastable/,
    );
    expect(sweepMargin([mc(1500), to()], cellsOf(['RRRR', 'RRRR', 'RRRR'])).summary).toBe(
      "no unsafe cell in the swept range (timeline[0].pool.maxConnections 400–1000, router.pool.pendingAcquireTimeout 15s–120s); the file's own setting (timeline[0].pool.maxConnections 1500, router.pool.pendingAcquireTimeout 45s) lies outside it",
    );
  });

  it('without a numeric own value there is no margin, and it says why', () => {
    const m = sweepMargin([mc(null), to()], cellsOf(['RRRR', 'MRRR', 'RRRR']));
    expect(m.status).toBe('no-own-setting');
    expect(m.summary).toBe(
      '1 of 12 cells unsafe; no margin: the file has no numeric value of timeline[0].pool.maxConnections to measure it from',
    );
  });

  it('a single axis works the same way', () => {
    const cells = cellsOf(['MMRRR']);
    const m = sweepMargin([axis('x', [1, 2, 3, 4, 5], 4)], cells);
    expect(m.nearestUnsafe).toMatchObject({ coords: [1], distance: 0.5 });
    expect(m.nearestUnsafe!.axes[0]).toMatchObject({ change: -2, changePct: -50 });
  });
});

// ---------------------------------------------------------------------------------------------------------------

const definition = (seed = 1): SweepDefinition => ({
  topology: { name: 'prod4-incident', file: 'prod4-incident.yaml' },
  seed,
  fingerprint: `sha256:test-${seed}`,
  axes: [mc(), to()],
});
const allCells = () => cellsOf(['MRRR', 'MRRR', 'RMRR']);

/** The shard files of `count` shards, as the CLI would read them back (parsed JSON). */
function shardFiles(count: number, def = definition()) {
  const cells = allCells();
  return Array.from({ length: count }, (_, i) => {
    const shard = { index: i + 1, count };
    const mine = shardCellIndices(cells.length, shard).map((k) => cells[k]!);
    return { name: `shard-${i + 1}-of-${count}.json`, data: JSON.parse(JSON.stringify(makeShard(def, shard, mine))) as unknown };
  });
}

describe('shards and merge', () => {
  it('--shard I/N: interleaved cells, index ≡ I−1 (mod N)', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(shardCellIndices(12, { index: 2, count: 4 })).toEqual([1, 5, 9]);
    expect(shardCellIndices(6, { index: 4, count: 4 })).toEqual([3]);
    for (const bad of ['0/4', '5/4', '2', '2/0', 'a/b', '-1/3'])
      expect(failure(() => parseShard(bad))).toContain(`--shard ${JSON.stringify(bad)}: expected I/N with 1 ≤ I ≤ N, e.g. --shard 2/4`);
    expect(failure(() => shardCellIndices(6, { index: 1, count: 7 }))).toBe(
      '--shard 1/7: the sweep has only 6 cells; use at most 6 shards',
    );
  });

  it('merged shards give exactly the result (and the bytes) of one run, whatever order the files come in', () => {
    const whole = assembleSweep(definition(), allCells());
    for (const count of [1, 2, 5, 12]) {
      const merged = mergeShards(shardFiles(count).reverse());
      expect(merged).toStrictEqual(whole);
      expect(sweepToJson(merged)).toBe(sweepToJson(whole));
      expect(sweepToCsv(merged)).toBe(sweepToCsv(whole));
    }
  });

  it('names a missing shard and its cells', () => {
    const files = shardFiles(4).filter((f) => !f.name.startsWith('shard-3-'));
    expect(failure(() => mergeShards(files))).toBe(
      'cannot merge: missing shard 3/4 (cells 2, 6, 10): run it with --shard I/4 and pass its file too',
    );
  });

  it('names a shard given twice, with its files', () => {
    const files = shardFiles(3);
    expect(failure(() => mergeShards([...files, { ...files[1]!, name: 'copy.json' }]))).toBe(
      'cannot merge: shard 2/3 is given 2 times (shard-2-of-3.json and copy.json)',
    );
  });

  it('refuses shards of another sweep or another N', () => {
    const other = shardFiles(2, definition(7))[1]!;
    expect(failure(() => mergeShards([shardFiles(2)[0]!, { ...other, name: 'other.json' }]))).toBe(
      'other.json is not a shard of the same sweep as shard-1-of-2.json: seed 7 vs 1; merge the shards of one sweep (same file, --vary and --seed)',
    );
    expect(failure(() => mergeShards([shardFiles(2)[0]!, shardFiles(3)[1]!]))).toBe(
      'shard-2-of-3.json is shard 2/3 but shard-1-of-2.json is shard 1/2: the shards of one sweep all use the same N in --shard I/N',
    );
  });

  it('refuses files that are not shards, whole results and cut-short shards', () => {
    const hint = 'pass the shard-I-of-N.json files that stampede sweep --shard I/N wrote';
    expect(failure(() => mergeShards([{ name: 'x.json', data: [1, 2] }]))).toBe(
      `x.json: not a sweep shard (expected a JSON object); ${hint}`,
    );
    expect(failure(() => mergeShards([{ name: 's.json', data: JSON.parse(sweepToJson(assembleSweep(definition(), allCells()))) }]))).toBe(
      `s.json: this is a whole sweep result (sweep.json), not a shard; ${hint}`,
    );
    const [one, two] = shardFiles(2) as [{ name: string; data: { cells: unknown[] } }, { name: string; data: unknown }];
    one.data.cells.pop();
    expect(failure(() => mergeShards([one, two]))).toBe(
      'cannot merge: shard-1-of-2.json should hold cells 0, 2, 4, 6, 8, 10 of shard 1/2 but holds 0, 2, 4, 6, 8: rerun that shard',
    );
    expect(failure(() => mergeShards([]))).toContain('no shard files given');
  });

  it("carries every cell's severity through a shard file, and refuses a shard without it", () => {
    const merged = mergeShards(shardFiles(3));
    expect(merged.cells[11]).toMatchObject({ minConnectedFraction: 0.8, peakPendingAcquires: 30, routersAdded: 2 });
    expect(merged.cells[0]).toMatchObject({ minConnectedFraction: 0.2, peakPendingAcquires: 900, routersAdded: 0 });
    const [one, two] = shardFiles(2) as [{ name: string; data: { cells: Record<string, unknown>[] } }, { name: string; data: unknown }];
    delete one.data.cells[0]!.peakPendingAcquires;
    one.data.cells[1]!.minConnectedFraction = 1.5;
    const text = failure(() => mergeShards([one, two]));
    expect(text).toContain('cells[0].peakPendingAcquires: expected a whole number, at least 0');
    expect(text).toContain('cells[1].minConnectedFraction: expected a fraction from 0 to 1, got 1.5');
  });
});

describe('the edges of the swept range', () => {
  it('says when the only safe cells are at an edge, with the wider --vary in that direction (same spacing)', () => {
    // safe only in the 1000 column: widen maxConnections upward, 400..1600 in 7 steps keeps 400, 600, 800, 1000
    const edges = sweepEdges([mc(), to()], cellsOf(['MMMR', 'MMMR', 'MMMR']));
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({
      axis: 0,
      path: 'timeline[0].pool.maxConnections',
      side: 'high',
      what: 'only-safe',
      label: '1000',
      vary: 'timeline[0].pool.maxConnections=400..1600:7',
    });
    expect(edges[0]!.summary).toBe(
      'the only safe cells are at the high edge of timeline[0].pool.maxConnections (1000): how far the safe region reaches beyond it is unknown, and it may be barely safe; widen it upward: --vary timeline[0].pool.maxConnections=400..1600:7',
    );
    expect(parseVary(edges[0]!.vary).values).toEqual([400, 600, 800, 1000, 1200, 1400, 1600]);
    // safe only on the lowest timeout row: widen downward, a positive duration stays positive (15s halved)
    const low = sweepEdges([mc(), to()], cellsOf(['RRRR', 'MMMM', 'MMMM']));
    expect(low).toEqual([
      expect.objectContaining({ axis: 1, side: 'low', what: 'only-safe', vary: 'router.pool.pendingAcquireTimeout=8s..2m:5' }),
    ]);
  });

  it('says when the boundary is at an edge (the only unsafe cells there), and when no cell is safe; nothing for an inner boundary', () => {
    expect(sweepEdges([mc(), to()], cellsOf(['MRRR', 'MRRR', 'MRRR']))).toEqual([
      expect.objectContaining({ axis: 0, side: 'low', what: 'only-unsafe', label: '400' }),
    ]);
    const none = sweepEdges([mc(), to()], cellsOf(['MMMM', 'MMMM', 'OOOO']));
    expect(none.map((e) => `${e.axis} ${e.side} ${e.what}`)).toEqual([
      '0 high no-safe',
      '0 low no-safe',
      '1 high no-safe',
      '1 low no-safe',
    ]);
    // a range that starts at its smallest positive step (1s) cannot go lower: no "widen downward" that repeats the sweep
    const delay = axis('delegates.reconnect.delay', [1_000, 8_000, 15_000], null, 'duration');
    const noneFromOne = sweepEdges([delay], cellsOf(['MMM']));
    expect(noneFromOne.map((e) => `${e.side} ${e.what} ${e.vary}`)).toEqual(['high no-safe delegates.reconnect.delay=1s..29s:5']);
    const onlyLow = sweepEdges([delay], cellsOf(['RMM']));
    expect(onlyLow).toHaveLength(1);
    expect(onlyLow[0]!.summary).toBe(
      'the only safe cells are at the low edge of delegates.reconnect.delay (1s): how far the safe region reaches beyond it is unknown, and it may be barely safe; it cannot be widened downward (1s is its smallest positive step)',
    );
    expect(sweepEdges([mc(), to()], cellsOf(['MMRR', 'MMRR', 'MRRR']))).toEqual([]);
    expect(sweepEdges([mc(), to()], cellsOf(['RRRR', 'RRRR', 'RRSR']))).toEqual([]);
    // the result carries them, so sweep.json has them too
    expect(assembleSweep(definition(), cellsOf(['MMMR', 'MMMR', 'MMMR'])).edges).toHaveLength(1);
  });
});

describe('sweep.csv', () => {
  it('one row per cell: axis values (durations in ms), verdict, unsafe, storm, time to recover (from the storm, from the trigger), loop, hash, evidence quoted', () => {
    const csv = sweepToCsv(assembleSweep(definition(), allCells())).split('\n');
    expect(csv[0]).toBe(
      'index,timeline[0].pool.maxConnections,router.pool.pendingAcquireTimeout_ms,verdict,unsafe,storm,time_to_recover_from_storm_s,time_to_recover_s,dominant_loop,trace_hash,evidence,min_connected_fraction,peak_pending_acquires,routers_added',
    );
    expect(csv[1]).toBe('0,400,15000,metastable,true,true,,,abandoned-acquires,hash00,"cell 0,0, with ""quotes"", commas",0.2,900,0');
    expect(csv[2]).toBe('1,600,15000,recovered,false,true,61,101,none,hash10,"cell 1,0, with ""quotes"", commas",0.6,10,0');
    expect(csv[12]).toBe('11,1000,120000,recovered,false,true,63,103,none,hash32,"cell 3,2, with ""quotes"", commas",0.8,30,2');
    expect(csv).toHaveLength(14); // header, 12 cells, final newline
  });
});
