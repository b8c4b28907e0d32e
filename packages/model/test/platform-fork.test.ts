/**
 * A branch forked from a run part-way must be the run from scratch with the branch's timeline: same trace hash, same
 * summary. Checked for every timeline verb added at the branch point, for an event added between two of the
 * topology's own at the same instant, for a later event left out, for a fork of a fork, and with the autoscaler on;
 * and a fork must leave its parent as it was.
 */
import { forkSimulation, whyNotForkable } from '@stampede/kernel';
import { describe, expect, it } from 'vitest';
import type { PlatformParams } from '../src/params.ts';
import { buildPlatform } from '../src/platform.ts';
import { forkPlatform, whyNotBranch } from '../src/platform-fork.ts';
import { continueRun, runPlatform } from '../src/run.ts';
import { prod4Incident } from '../src/scenarios.ts';
import { parseTopology, type TopologyInput } from '../src/topology/index.ts';

const MIN = 60_000;
type Timeline = NonNullable<TopologyInput['timeline']>;

/** The incident at 200 delegates, 30 minutes, with `timeline` as a topology file writes it. */
function incident(timeline: Timeline, tweak: (p: PlatformParams) => void = () => {}): PlatformParams {
  const p = prod4Incident({ delegates: 200 });
  p.timeline = parseTopology({ timeline }).timeline;
  p.durationMs = 30 * MIN;
  tweak(p);
  return p;
}

const STORM: Timeline = [
  { at: '10m', rollout: 'router', pool: { mode: 'fixed', maxConnections: 69 } },
  { at: '10m', rollout: 'manager' },
  { at: '25m', rollback: 'router' },
];

/** Forks `file` at `atMs` into `branch` and runs it on; returns the branch's summary and the from-scratch one. */
function both(file: PlatformParams, branch: PlatformParams, atMs: number, seed = 1) {
  const parent = buildPlatform(file, seed);
  parent.sim.queue.runBefore(atMs);
  const forked = continueRun(forkPlatform(parent, branch), { seed }).summary;
  const scratch = runPlatform(branch, { seed }).summary;
  return { forked, scratch, parent };
}

const VERBS: [string, Timeline[number]][] = [
  ['rollback', { at: '15m', rollback: 'router' }],
  ['rollout', { at: '15m', rollout: 'router', pool: { mode: 'elastic' } }],
  ['kill', { at: '15m', kill: 'router', count: 2 }],
  ['partition', { at: '15m', partition: 'delegates-routers', duration: '30s' }],
  ['latency spike', { at: '15m', latencySpike: '200ms', duration: '1m' }],
  ['load spike', { at: '15m', loadSpike: 3, duration: '2m' }],
  ['scale replicas', { at: '15m', scale: 'router', replicas: 6 }],
  ['scale limits', { at: '15m', scale: 'router', minReplicas: 6, maxReplicas: 8 }],
  ['reconfigure', { at: '15m', reconfigure: 'router', pool: { maxIdleTime: '1m' } }],
  ['restart', { at: '15m', restart: 'router' }],
  ['pause', { at: '15m', pause: 'manager' }],
  ['admit', { at: '15m', admit: { reconnectsPerSecond: 5 }, duration: '3m' }],
];

describe('forkPlatform: a branch equals its run from scratch', () => {
  let asWritten: string | undefined;
  for (const [verb, action] of VERBS) {
    it(`${verb} added at 15:00`, () => {
      const file = incident(STORM);
      const { forked, scratch } = both(file, incident([...STORM, action]), 15 * MIN);
      expect(forked).toEqual(scratch);
      // the action changed the run: the comparison could have failed
      asWritten ??= runPlatform(file, { seed: 1 }).summary.traceHash;
      expect(forked.traceHash).not.toBe(asWritten);
    });
  }

  it('forked inside the windows of a partition, a latency spike, a load spike and an admission limit', () => {
    const windows: Timeline = [
      { at: '15m', partition: 'delegates-routers', duration: '1m' },
      { at: '15m', latencySpike: '200ms', duration: '1m' },
      { at: '15m', loadSpike: 3, duration: '1m' },
      { at: '15m', admit: { reconnectsPerSecond: 5 }, duration: '1m' },
    ];
    const file = incident([...STORM, ...windows]);
    const branch = incident([...STORM, ...windows, { at: '15m20s', rollback: 'router' }]);
    const { forked, scratch } = both(file, branch, 15 * MIN + 20_000);
    expect(forked).toEqual(scratch);
  });

  it('resume after a pause, both added', () => {
    const file = incident(STORM);
    const branch = incident([...STORM, { at: '15m', pause: 'router' }, { at: '18m', resume: 'router' }]);
    const { forked, scratch } = both(file, branch, 15 * MIN);
    expect(forked).toEqual(scratch);
  });

  it('an event added between two of the file at the same instant fires between them', () => {
    // a kill at 10:00 listed between the two rollouts: before the manager's rollout, after the router's
    const file = incident(STORM);
    const branch = incident([STORM[0]!, { at: '10m', kill: 'manager', count: 1 }, ...STORM.slice(1)]);
    const { forked, scratch } = both(file, branch, 10 * MIN);
    expect(forked).toEqual(scratch);
    // and the place matters: at the end of the list it is another run
    const atEnd = runPlatform(incident([...STORM, { at: '10m', kill: 'manager', count: 1 }]), { seed: 1 }).summary;
    expect(atEnd.traceHash).not.toBe(scratch.traceHash);
  });

  it('a later event of the file left out (a tried rollback makes the file’s own moot)', () => {
    const file = incident(STORM);
    const branch = incident([...STORM.slice(0, 2), { at: '15m', rollback: 'router' }]);
    const { forked, scratch } = both(file, branch, 15 * MIN);
    expect(forked).toEqual(scratch);
  });

  it('a fork of a fork (a snapshot taken on the way) equals the run from scratch', () => {
    const file = incident(STORM);
    const parent = buildPlatform(file, 2);
    parent.sim.queue.runBefore(12 * MIN);
    const snapshot = forkPlatform(parent, file);
    snapshot.sim.queue.runBefore(20 * MIN);
    const branch = incident([...STORM, { at: '20m', reconfigure: 'router', pool: { maxConnections: 120 } }]);
    const forked = continueRun(forkPlatform(snapshot, branch), { seed: 2 }).summary;
    expect(forked).toEqual(runPlatform(branch, { seed: 2 }).summary);
  });

  it('a fork of a fork that added events, adding more between them, keeps the order of a run from scratch', () => {
    // found in review: places were spread over (lo, lo + 1), which a fractional lo (an added event) overruns
    const A: Timeline[number] = { at: '10m', rollout: 'router', pool: { mode: 'fixed', maxConnections: 69 } };
    const B: Timeline[number] = { at: '10m', rollout: 'manager' };
    const C: Timeline[number] = { at: '25m', rollback: 'router' };
    const K1: Timeline[number] = { at: '10m', kill: 'router', count: 1 };
    const K2: Timeline[number] = { at: '10m', scale: 'manager', replicas: 5 };
    const K3: Timeline[number] = { at: '10m', pause: 'manager' };
    const short = (tl: Timeline) => incident(tl, (p) => (p.durationMs = 20 * MIN));
    const parent = buildPlatform(short([A, B, C]), 1);
    parent.sim.queue.runBefore(10 * MIN);
    const first = forkPlatform(parent, short([A, K1, B, C]));
    for (const tl of [
      [A, K1, K2, B, C],
      [A, K1, K2, K3, B, C],
    ]) {
      const branch = short(tl);
      expect(continueRun(forkPlatform(first, branch), { seed: 1 }).summary).toEqual(runPlatform(branch, { seed: 1 }).summary);
    }
  });

  it('an event moved before one that already happened: the alignment keeps what happened', () => {
    // the file [kill at 5m, rollback at 25m]; the branch lists the rollback first: the same events, the kill kept
    const kill: Timeline[number] = { at: '5m', kill: 'manager', count: 1 };
    const file = incident([kill, ...STORM]);
    const branch = incident([...STORM, kill]);
    const { forked, scratch } = both(file, branch, 15 * MIN);
    expect(forked).toEqual(scratch);
  });

  it('with the autoscaler scaling on pool utilisation', () => {
    const tweak = (p: PlatformParams) => {
      p.router.autoscaling.metric = 'poolUtilization';
      p.router.autoscaling.maxReplicas = 8;
    };
    const file = incident(STORM, tweak);
    const { forked, scratch } = both(file, incident([...STORM, { at: '14m', restart: 'manager' }], tweak), 14 * MIN);
    expect(forked).toEqual(scratch);
  });

  it('leaves its parent as it was: the parent runs on to the file’s own run', () => {
    const file = incident(STORM);
    const { parent } = both(file, incident([...STORM, { at: '15m', rollback: 'router' }]), 15 * MIN);
    expect(continueRun(parent, { seed: 1 }).summary).toEqual(runPlatform(file, { seed: 1 }).summary);
  });
});

describe('forkPlatform: refusals', () => {
  it('a platform is forkable mid-storm (nothing in it a fork cannot copy)', () => {
    const parent = buildPlatform(incident(STORM), 1);
    parent.sim.queue.runBefore(15 * MIN);
    expect(whyNotForkable(parent.sim)).toBeUndefined();
    expect(() => forkSimulation(parent.sim)).not.toThrow();
  });

  it('refuses to add an event before where the platform has run to, saying how to branch there', () => {
    const parent = buildPlatform(incident(STORM), 1);
    parent.sim.runUntil(16 * MIN);
    expect(() => forkPlatform(parent, incident([...STORM, { at: '15m', rollback: 'router' }]))).toThrow(/runBefore\(900000\)/);
  });

  it('refuses to leave out an event that already happened', () => {
    const parent = buildPlatform(incident(STORM), 1);
    parent.sim.queue.runBefore(26 * MIN);
    expect(() => forkPlatform(parent, incident(STORM.slice(0, 2)))).toThrow(/already happened/);
  });

  it('refuses to branch (and continueRun to summarise) a platform run past its end', () => {
    const file = incident(STORM);
    const parent = buildPlatform(file, 1);
    parent.sim.runUntil(31 * MIN);
    expect(whyNotBranch(parent, file)).toMatch(/past the end of the run/);
    expect(() => continueRun(parent, { seed: 1 })).toThrow(/past the end of the run/);
  });

  it('refuses a branch that changes more than the timeline', () => {
    const parent = buildPlatform(incident(STORM), 1);
    const other = incident(STORM, (p) => {
      p.delegates.count = 100;
    });
    expect(() => forkPlatform(parent, other)).toThrow(/'delegates' differs/);
  });

  it('refuses the xstate engine, saying why', () => {
    const parent = buildPlatform(incident(STORM), 1, { engine: 'xstate' });
    expect(() => forkPlatform(parent, incident(STORM))).toThrow(/engine: 'xstate'/);
  });
});
