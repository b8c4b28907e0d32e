/**
 * The topology and fault-schedule arbitraries: what they generate stays in
 * range, applying them changes what they say, and they shrink toward the
 * simple (no faults, small fleets, two pods, the steady-state limit).
 */
import { prod4Incident, runPlatform, steadyStateLimit } from '@stampede/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyCase,
  applyFaults,
  applyVariation,
  conservationLaws,
  describeCase,
  describeFaults,
  type Fault,
  faultSchedule,
  rolloutCase,
  topologyVariation,
} from '../src/index.ts';

const MIN = 60_000;

describe('fault schedules', () => {
  const base = prod4Incident({ delegates: 100 });

  it('start within the window after the first timeline event, in time order, at most maxFaults', () => {
    fc.assert(
      fc.property(faultSchedule(base, { maxFaults: 4, windowMs: 5 * MIN }), (faults) => {
        expect(faults.length).toBeLessThanOrEqual(4);
        for (const f of faults) {
          expect(f.atMs).toBeGreaterThanOrEqual(10 * MIN);
          expect(f.atMs).toBeLessThanOrEqual(15 * MIN);
          if (f.kind === 'kill-pod') expect(f.count).toBeLessThanOrEqual(Math.min(base.router.replicas, base.manager.replicas));
        }
        expect(faults.map((f) => f.atMs)).toEqual([...faults.map((f) => f.atMs)].sort((a, b) => a - b));
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  it('shrink to no faults, and a failure that needs one fault to a single pod kill at the trigger', () => {
    const none = fc.check(
      fc.property(faultSchedule(base), (faults) => faults.length > 0),
      { seed: 1 },
    );
    expect(none.counterexample).toEqual([[]]);
    const one = fc.check(
      fc.property(faultSchedule(base), (faults) => faults.length === 0),
      { seed: 1 },
    );
    const [shrunk] = one.counterexample as [Fault[]];
    expect(shrunk).toHaveLength(1);
    expect(shrunk[0]).toMatchObject({ kind: 'kill-pod', target: 'manager', count: 1, atMs: 10 * MIN });
  });

  it('are added to the timeline and extend the run past the last one; no faults leaves the topology as it was', () => {
    const faults: Fault[] = [{ atMs: 70 * MIN, kind: 'partition', durationMs: 60_000, label: 'x' }];
    const p = applyFaults(base, faults);
    expect(p.timeline.map((e) => e.kind)).toEqual(['rollout', 'rollout', 'rollback', 'partition']);
    expect(p.durationMs).toBe(71 * MIN + 30 * MIN);
    expect(applyFaults(base, [])).toBe(base);
    expect(describeFaults(faults)).toBe('partition of delegates from routers for 1 min at 70 min');
    expect(describeFaults([])).toBe('no faults');
  });

  it('conservation holds with generated faults injected (10 cases, 100 delegates)', () => {
    fc.assert(conservationLaws(base, { faults: true }), { seed: 9, numRuns: 10 });
  }, 300_000);
});

describe('topologies', () => {
  const base = prod4Incident({ delegates: 400 });

  it('stay in range: fleet, replicas, a limit at or above steady state, autoscaling bounds around the replicas', () => {
    fc.assert(
      fc.property(topologyVariation(base, { minDelegates: 50 }), (v) => {
        const p = applyVariation(base, v);
        expect(p.delegates.count).toBe(v.delegates);
        expect(p.delegates.count).toBeGreaterThanOrEqual(50);
        expect(p.delegates.count).toBeLessThanOrEqual(400);
        const rollout = p.timeline[0]!;
        expect(rollout.kind === 'rollout' && rollout.pool?.maxConnections).toBeGreaterThanOrEqual(
          steadyStateLimit(v.delegates, v.routerReplicas),
        );
        expect(p.router.autoscaling.minReplicas).toBeLessThanOrEqual(p.router.replicas);
        expect(p.router.autoscaling.maxReplicas).toBeGreaterThanOrEqual(p.router.replicas);
        expect(p.workload.pipelinesPerMinute).toBeCloseTo((base.workload.pipelinesPerMinute * v.delegates) / 400, 9);
      }),
      { seed: 2, numRuns: 200 },
    );
  });

  it('put the pool where the base sets its post-trigger pool: the router rollout of the incident, the router itself without one', () => {
    const v = fc.sample(topologyVariation(base), { seed: 3, numRuns: 1 })[0]!;
    const p = applyVariation(base, v);
    expect(p.timeline[0]).toMatchObject({
      kind: 'rollout',
      pool: { mode: v.pool.mode, cancelAbandonedAcquires: v.pool.cancelAbandonedAcquires },
    });
    const noRollout = { ...base, timeline: [] };
    expect(applyVariation(noRollout, v).router.pool).toMatchObject({
      mode: v.pool.mode,
      pendingAcquireTimeoutMs: v.pool.pendingAcquireTimeoutMs,
    });
  });

  it('shrink toward the simple: smallest fleet, two pods, the base pool mode at the steady-state limit, fixed reconnects', () => {
    const run = fc.check(
      fc.property(topologyVariation(base), () => false),
      { seed: 4 },
    );
    expect(run.counterexample![0]).toEqual({
      delegates: 50,
      routerReplicas: 2,
      managerReplicas: 2,
      pool: { mode: 'fixed', headroom: 1, pendingAcquireTimeoutMs: 5000, cancelAbandonedAcquires: false },
      socketOpenTimeoutMs: 5000,
      reconnect: { kind: 'fixed', delayMs: 1000 },
      autoscalingMaxFactor: 1,
    });
  });

  it('a generated topology runs and keeps conservation (5 cases)', () => {
    fc.assert(
      fc.property(topologyVariation(base, { maxDelegates: 150 }), fc.integer({ min: 0, max: 99 }), (v, seed) => {
        const p = applyVariation(base, v);
        p.durationMs = 25 * MIN;
        p.timeline = p.timeline.filter((e) => e.atMs < p.durationMs);
        const { summary } = runPlatform(p, { seed });
        expect(summary.conservation.violations).toEqual([]);
      }),
      { seed: 6, numRuns: 5 },
    );
  }, 300_000);
});

describe('rollout cases', () => {
  it('have no faults unless asked, and say what they are', () => {
    const topology = prod4Incident({ delegates: 100 });
    const plain = fc.sample(rolloutCase(topology), { seed: 1, numRuns: 20 });
    expect(plain.every((c) => c.faults.length === 0)).toBe(true);
    const faulty = fc.sample(rolloutCase(topology, { faults: { maxFaults: 2 } }), { seed: 1, numRuns: 50 });
    expect(faulty.some((c) => c.faults.length > 0)).toBe(true);
    const c = faulty.find((x) => x.faults.length > 0)!;
    expect(describeCase(c, topology)).toMatch(/^rollout policy \(router: .*\) with faults \(.+\) with simulation seed \d+$/);
    expect(applyCase(topology, c).timeline.length).toBe(topology.timeline.length + c.faults.length);
  });
});
