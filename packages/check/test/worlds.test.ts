/**
 * Worlds files without simulation: what the file accepts and refuses (with
 * messages naming the place), how worlds are enumerated and resolved, the
 * observation checks on synthetic series, calibration and the robust
 * scoreboard (robust findings, the assumption that flips one) on synthetic
 * runs, and shards merged back. worlds-calibration.test.ts runs real worlds.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readTopologyYaml } from '@stampede/model';
import { describe, expect, it } from 'vitest';
import {
  assembleWorlds,
  enumerateWorlds,
  type JudgedRun,
  mergeWorldsShards,
  type ObservedRun,
  parseWorldsFile,
  planWorlds,
  specTopologies,
  WORLDS_SHARD_FORMAT,
  WORLDS_SHARD_FORMAT_VERSION,
  WorldsError,
  type WorldsSpec,
  worldsTextSha256,
} from '../src/index.ts';
import { calibrate } from '../src/worlds/calibration.ts';
import { checkConnected, type RunFacts } from '../src/worlds/observation.ts';
import { robustScoreboard } from '../src/worlds/robust-scoreboard.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/worlds/${name}`, import.meta.url));
const SMALL = fixture('small.yaml');
// the fixture without its third assumption (the CLI suite runs it whole): two assumptions, four worlds
const smallText = readFileSync(SMALL, 'utf8').replace(/ {2}- name: service-times\n.*\n.*\n/, '');
if (smallText.includes('service-times')) throw new Error('the fixture changed: update the line above');

function documents(spec: WorldsSpec): Record<string, unknown> {
  return Object.fromEntries(specTopologies(spec).map((t) => [t.name, readTopologyYaml(readFileSync(t.file, 'utf8'), t.written)]));
}

/** The small file with `edit` applied to its text. */
const edited = (edit: (text: string) => string) => parseWorldsFile(edit(smallText), SMALL);

describe('a worlds file', () => {
  it('reads the small fixture: seeds, runs, assumptions with labels, observations with their windows', () => {
    const spec = parseWorldsFile(smallText, SMALL);
    expect(spec.seeds).toEqual([1, 2]);
    expect(spec.incident.written).toBe('../../../../../examples/topologies/prod4-incident-small.yaml');
    expect(spec.references.map((t) => t.name)).toEqual(['baseline']);
    expect(spec.actions.map((t) => t.name)).toEqual(['headroom', 'longer timeout']);
    expect(spec.assumptions.map((a) => [a.path, a.labels])).toEqual([
      ['router.pool.cancelAbandonedAcquires', ['false', 'true']],
      ['router.pool.staleConnectionRelease', ['30s', '2m']],
    ]);
    expect(spec.observations[0]!.criterion).toEqual({
      kind: 'connected',
      op: 'below',
      threshold: 0.5,
      from: { anchor: 'storm', offsetMs: 300_000, text: 'storm+5m' },
      until: { anchor: 'rollback', offsetMs: 0, text: 'rollback' },
    });
    expect(spec.observations[2]!.criterion).toEqual({ kind: 'verdict', allowed: ['recovered'] });
  });

  it('labels mapping values on one line', () => {
    const spec = edited((t) =>
      t.replace(
        'values: [30s, 2m]',
        'values: [30s, 2m]\n  - name: reconnect\n    set: delegates.reconnect\n    values: [{ policy: fixed, delay: 5s }, { policy: fibonacci, cap: 144s }]',
      ),
    );
    expect(spec.assumptions[2]!.labels).toEqual(['{policy: fixed, delay: 5s}', '{policy: fibonacci, cap: 144s}']);
  });

  it.each([
    ['no incident', (t: string) => t.replace('  incident: ', '  other: '), /topologies: must name the `incident` topology/],
    [
      'one value',
      (t: string) => t.replace('values: [false, true]', 'values: [false]'),
      /assumptions\[0\]\.values: must list at least two values/,
    ],
    [
      'an unknown run',
      (t: string) => t.replace('run: baseline', 'run: baselin'),
      /observations\[2\]\.run: "baselin" is not a topology of this file/,
    ],
    ['a bad anchor', (t: string) => t.replace('from: storm+5m', 'from: burst+5m'), /"burst\+5m" is not a duration .* or an event/],
    ['a bad offset', (t: string) => t.replace('from: storm+5m', 'from: storm+soon'), /the offset "soon" is not a duration/],
    ['a fraction above 1', (t: string) => t.replace('below: 0.5', 'below: 50'), /must be a fraction from 0 to 1/],
    [
      'an unknown verdict',
      (t: string) => t.replace('verdict: [recovered]', 'verdict: [fine]'),
      /must be one of recovered, slow, metastable, overloaded/,
    ],
    [
      'an unknown key',
      (t: string) => t.replace('observations:', 'observation:'),
      /the file: unknown key "observation" \(did you mean "observations"\?\)/,
    ],
    [
      'a missing key',
      (t: string) => t.replace('from: storm+5m', 'form: storm+5m'),
      /observations\[0\]\.connected\.from: missing; add it\n.*unknown key "form" \(did you mean "from"\?\)/,
    ],
    ['a seed twice', (t: string) => t.replace('seeds: [1, 2]', 'seeds: [1, 1]'), /seeds: a seed is listed twice/],
    [
      'not a path',
      (t: string) => t.replace('set: router.pool.cancelAbandonedAcquires', 'set: "router..pool"'),
      /"router\.\.pool" is not a topology path/,
    ],
    [
      'a path into the prototype',
      (t: string) => t.replace('set: router.pool.staleConnectionRelease', 'set: __proto__.polluted'),
      /"__proto__\.polluted" is not a topology path/,
    ],
    [
      'overlapping assumptions',
      (t: string) => t.replace('set: router.pool.staleConnectionRelease', 'set: router.pool'),
      /overlaps assumption "cancel-on-give-up"/,
    ],
    [
      'an action named like a topology',
      (t: string) => t.replace('  headroom: headroom', '  baseline: headroom'),
      /actions\.baseline: the name is also under topologies/,
    ],
  ])('refuses %s, naming the place', (_, edit, message) => {
    expect(() => edited(edit)).toThrow(WorldsError);
    expect(() => edited(edit)).toThrow(message);
  });

  it('refuses more worlds than it can run, with the product', () => {
    const many = Array.from({ length: 9 }, (_, i) => `  - name: a${i}\n    set: workload.tasksPerPipeline\n    values: [1, 2]`).join('\n');
    const text = smallText.replace(/assumptions:\n[\s\S]*?observations:/, `assumptions:\n${many}\nobservations:`);
    expect(() => parseWorldsFile(text, SMALL)).toThrow(/2 × 2 × 2 × 2 × 2 × 2 × 2 × 2 × 2 = 512 worlds, more than 256/);
  });

  it('refuses YAML that does not parse, with the line', () => {
    expect(() => parseWorldsFile('name: [unclosed\n', 'w.yaml')).toThrow(/w\.yaml: YAML syntax error at line 2/);
  });
});

describe('worlds', () => {
  it('are every combination, the first assumption slowest', () => {
    const spec = parseWorldsFile(smallText, SMALL);
    expect(enumerateWorlds(spec).map((w) => w.choice)).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
  });

  it('set each assumption in every topology, the rollout inheriting the base pool', () => {
    const spec = parseWorldsFile(smallText, SMALL);
    const plan = planWorlds(spec, documents(spec));
    const w4 = plan.params[3]!;
    for (const name of ['incident', 'baseline', 'headroom', 'longer timeout']) {
      expect(w4[name]!.router.pool.cancelAbandonedAcquires).toBe(true);
      expect(w4[name]!.router.pool.staleConnectionReleaseMs).toBe(120_000);
    }
    expect(plan.params[0]!.incident!.router.pool.staleConnectionReleaseMs).toBe(30_000);
    // the action's own settings stay
    const rollout = w4['longer timeout']!.timeline[0]!;
    expect(rollout.kind === 'rollout' && rollout.pool?.pendingAcquireTimeoutMs).toBe(120_000);
  });

  it('refuse a value the schema refuses, naming the world and the assumption', () => {
    const spec = edited((t) => t.replace('values: [30s, 2m]', 'values: [30s, soon]'));
    expect(() => planWorlds(spec, documents(spec))).toThrow(
      /in world w2 \(cancel-on-give-up=false, stale-release=soon\), .*prod4-incident-small\.yaml does not resolve: .*staleConnectionRelease.*check the values of assumption "stale-release"/,
    );
  });

  it('refuse an action the oracle cannot judge, before anything runs', () => {
    const spec = edited((t) => t.replace('  longer timeout: timeout-small.yaml', '  steady: steady-small.yaml'));
    expect(() => planWorlds(spec, documents(spec))).toThrow(
      /the oracle cannot judge steady-small\.yaml \("steady"\) in world w1: topology 'steady-small' has no trigger/,
    );
  });

  it('refuse a path past the end of a list, naming the list and its items', () => {
    const spec = edited((t) => t.replace('set: router.pool.staleConnectionRelease', 'set: timeline[5].pool.maxIdleTime'));
    expect(() => planWorlds(spec, documents(spec))).toThrow(
      /assumption "stale-release" sets timeline\[5\]\.pool\.maxIdleTime, but in .*prod4-incident-small\.yaml timeline has 3 items \(\[0\] to \[2\]\), so there is no \[5\]/,
    );
  });

  it('refuse an assumption on router.pool that a rollout overrides, naming the rollout', () => {
    const spec = edited((t) =>
      t.replace(
        'set: router.pool.staleConnectionRelease\n    values: [30s, 2m]',
        'set: router.pool.pendingAcquireTimeout\n    values: [45s, 2m]',
      ),
    );
    expect(() => planWorlds(spec, documents(spec))).toThrow(
      /assumption "stale-release" sets router\.pool\.pendingAcquireTimeout, but in timeout-small\.yaml the router rollout timeline\[0\] .* sets pool\.pendingAcquireTimeout: 120s/,
    );
  });
});

describe('a connected-fraction observation', () => {
  // 0:00–20:00 every minute: 100% before 10:00, 30% from 10:00 to the rollback at 15:00, 100% again from 16:00
  const times = Array.from({ length: 21 }, (_, i) => i * 60_000);
  const facts = (values: number[], over: Partial<RunFacts> = {}): RunFacts => ({
    connected: { timesMs: times, values },
    triggerAtMs: 600_000,
    stormStartMs: 600_000,
    rollbackAtMs: 900_000,
    durationMs: 1_200_000,
    ...over,
  });
  const values = times.map((t) => (t >= 600_000 && t <= 900_000 ? 0.3 : 1));
  const spec = parseWorldsFile(smallText, SMALL);
  const down = spec.observations[0]!.criterion;
  const back = spec.observations[1]!.criterion;
  if (down.kind !== 'connected' || back.kind !== 'connected') throw new Error('fixture changed');

  it('holds when every sample of its window is on its side, saying the extreme', () => {
    expect(checkConnected({ ...down, from: { ...down.from, offsetMs: 0 } }, facts(values))).toEqual({
      held: true,
      detail: 'connected at most 30.0% from 10:00 to 15:00',
    });
  });

  it('fails at the first sample on the wrong side, naming it', () => {
    const dip = values.map((v, i) => (i === 12 ? 0.6 : v));
    expect(checkConnected({ ...down, from: { ...down.from, offsetMs: 0 } }, facts(dip))).toEqual({
      held: false,
      detail: 'connected 60.0% at 12:00, not below 50.0%',
    });
    const relapse = values.map((v, i) => (i === 20 ? 0.98 : v));
    expect(checkConnected({ ...back, from: { ...back.from, offsetMs: 60_000 } }, facts(relapse))).toEqual({
      held: false,
      detail: 'connected 98.0% at 20:00, below 99.0%',
    });
  });

  it('fails without the event its window needs', () => {
    expect(checkConnected(down, facts(values, { stormStartMs: undefined })).detail).toMatch(/storm\+5m: no storm in this run/);
    expect(checkConnected(back, facts(values, { rollbackAtMs: undefined })).detail).toMatch(/rollback\+10m: the run has no rollback/);
  });
});

/** Synthetic runs: every observation holds in worlds with cancel false; actions' verdicts from `verdictOf`. */
function synthetic(spec: WorldsSpec, verdictOf: (run: string, choice: number[], seed: number) => JudgedRun['verdict']) {
  const worlds = enumerateWorlds(spec);
  const observed: ObservedRun[] = [];
  const judged: JudgedRun[] = [];
  const judgedRun = (world: number, run: string, seed: number, verdict: JudgedRun['verdict']): JudgedRun => ({
    world,
    run,
    seed,
    verdict,
    dominantLoop: verdict === 'recovered' ? 'none' : 'retries',
    evidence: '',
    storm: true,
    timeToRecoverFromStormSec: null,
    traceHash: '0',
  });
  for (const w of worlds)
    for (const seed of spec.seeds) {
      const ok = w.choice[0] === 0;
      observed.push({
        world: w.index,
        run: 'incident',
        seed,
        results: [
          { index: 0, result: { held: ok, detail: ok ? 'down' : 'connected 68.5% at 13:40, not below 50.0%' } },
          { index: 1, result: { held: true, detail: 'back' } },
        ],
      });
      judged.push(judgedRun(w.index, 'baseline', seed, 'recovered'));
      for (const run of ['incident', 'headroom', 'longer timeout'])
        judged.push(judgedRun(w.index, run, seed, verdictOf(run, w.choice, seed)));
    }
  return { worlds, observed, judged };
}

describe('calibration', () => {
  const spec = parseWorldsFile(smallText, SMALL);

  it('keeps the worlds where every observation holds on every seed, and says what the observations pin down', () => {
    const { worlds, observed, judged } = synthetic(spec, () => 'metastable');
    const c = calibrate(spec, worlds, observed, judged);
    expect(c.consistent).toEqual([0, 1]);
    expect(c.assumptions.map((a) => [a.name, a.status])).toEqual([
      ['cancel-on-give-up', 'pinned'],
      ['stale-release', 'open'],
    ]);
    expect(c.assumptions[0]!.values[1]).toEqual({ label: 'true', consistent: 0, worlds: 2, ruledOutBy: 'down until the rollback' });
    expect(c.worlds[2]!.observations[0]).toMatchObject({
      heldOn: [],
      failedOn: [1, 2],
      detail: 'seed 1: connected 68.5% at 13:40, not below 50.0%',
    });
  });

  it('leaves out a world that reproduces the observations on some seeds only', () => {
    const { worlds, observed, judged } = synthetic(spec, () => 'metastable');
    const flaky = judged.find((r) => r.world === 1 && r.run === 'baseline' && r.seed === 2)!;
    flaky.verdict = 'metastable';
    flaky.dominantLoop = 'retries';
    const c = calibrate(spec, worlds, observed, judged);
    expect(c.consistent).toEqual([0]);
    expect(c.worlds[1]).toMatchObject({ consistent: false, partly: true });
    expect(c.worlds[1]!.observations[2]!.detail).toBe('seed 2: oracle: metastable (retries), not recovered');
  });
});

describe('the robust scoreboard', () => {
  // three assumptions, so that flips can be told from noise: the incident fails everywhere, headroom helps
  // everywhere, the timeout helps only with stale-release 30s
  const spec = parseWorldsFile(
    smallText.replace('values: [30s, 2m]', 'values: [30s, 2m]\n  - name: idle\n    set: router.pool.maxIdleTime\n    values: [0s, 60s]'),
    SMALL,
  );
  const board = (verdictOf: Parameters<typeof synthetic>[1]) => {
    const { worlds, observed, judged } = synthetic(spec, verdictOf);
    const c = calibrate(spec, worlds, observed, judged);
    return robustScoreboard(spec, worlds, c, judged);
  };

  it('calls a finding robust when it holds in every consistent world, and names the assumption that flips one', () => {
    const b = board((run, choice) =>
      run === 'headroom' ? 'recovered' : run === 'longer timeout' && choice[1] === 0 ? 'slow' : 'metastable',
    );
    expect(b.worlds).toEqual([0, 1, 2, 3]);
    const [incident, headroom, timeout] = b.rows;
    expect([incident!.finding, incident!.helps]).toEqual(['robust-fails', 0]);
    expect([headroom!.finding, headroom!.helps]).toEqual(['robust-helps', 4]);
    expect(timeout!.finding).toBe('flips');
    expect(timeout!.flip).toEqual({
      assumption: 'stale-release',
      path: 'router.pool.staleConnectionRelease',
      flippedPairs: 2,
      pairs: 2,
      decides: true,
      byValue: [
        { label: '30s', helps: 2, worlds: 2 },
        { label: '2m', helps: 0, worlds: 2 },
      ],
    });
  });

  it('calls a cell mixed when the seeds disagree, and names no assumption for noise alone', () => {
    const b = board((run, _choice, seed) =>
      run === 'headroom' && seed === 2 ? 'metastable' : run === 'headroom' ? 'recovered' : 'metastable',
    );
    const headroom = b.rows[1]!;
    expect([headroom.mixed, headroom.finding, headroom.flip]).toEqual([4, 'flips', undefined]);
  });

  it('merges shards into the result of one run, and refuses a missing or repeated shard', () => {
    const { worlds, observed, judged } = synthetic(spec, () => 'metastable');
    const whole = assembleWorlds({ spec, worlds }, { observed, judged }, 'compiled');
    const text = smallText.replace(
      'values: [30s, 2m]',
      'values: [30s, 2m]\n  - name: idle\n    set: router.pool.maxIdleTime\n    values: [0s, 60s]',
    );
    const shard = (index: number, worldsText = text) => {
      const mine = worlds.filter((w) => w.index % 2 === index - 1).map((w) => w.index);
      return {
        format: WORLDS_SHARD_FORMAT,
        version: WORLDS_SHARD_FORMAT_VERSION,
        shard: { index, count: 2 },
        fingerprint: 'sha256:x',
        engine: 'compiled',
        source: SMALL,
        worldsTextSha256: worldsTextSha256(text),
        worldsText,
        worlds: mine,
        runs: { observed: observed.filter((r) => mine.includes(r.world)), judged: judged.filter((r) => mine.includes(r.world)) },
      };
    };
    const merged = mergeWorldsShards([
      { name: 's2', data: shard(2) },
      { name: 's1', data: shard(1) },
    ]);
    expect(assembleWorlds(merged, merged.runs, merged.engine)).toEqual(whole);
    expect(() => mergeWorldsShards([{ name: 's1', data: shard(1) }])).toThrow(/cover 4 of 8 worlds; missing shard 2\/2/);
    expect(() =>
      mergeWorldsShards([
        { name: 'a', data: shard(1) },
        { name: 'b', data: shard(1) },
      ]),
    ).toThrow(/world w1 is also in a; is a shard given twice/);
    expect(() => mergeWorldsShards([{ name: 'bad', data: { ...shard(1), runs: { observed: 'x', judged: [] } } }])).toThrow(
      /bad: not a worlds shard file/,
    );
    // a worlds text edited after the run (a threshold changed) no longer matches its checksum
    expect(() =>
      mergeWorldsShards([
        { name: 'edited', data: shard(1, text.replace('below: 0.5', 'below: 0.01')) },
        { name: 's2', data: shard(2) },
      ]),
    ).toThrow(/edited: its worlds file text does not match the checksum/);
  });
});
