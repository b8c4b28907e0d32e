/**
 * Tests for the Deployment rolling-update arithmetic: the controller's own
 * worked examples, a step-by-step rollout timeline, and properties over every
 * strategy showing that a rollout always finishes without ever surging past
 * maxSurge or dipping below desired - maxUnavailable available pods.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  type IntOrPercent,
  planRollingStep,
  proportionalScale,
  type RollingUpdateLimits,
  type RolloutCounts,
  resolveRollingUpdate,
} from '../../src/kube/rolling-update.ts';

/** Pods the simulated cluster holds between two reconciles. */
interface Cluster {
  desired: number;
  oldPods: number;
  oldReady: number;
  newPods: number;
  newReady: number;
  /** deleted pods still shutting down: they no longer count for the controller and are gone one step later */
  terminating: number;
}

interface Observation {
  step: number;
  oldPods: number;
  newPods: number;
  available: number;
  /** old + new pods, as the controller counts them (terminating pods excluded) */
  totalPods: number;
  terminating: number;
}

/**
 * Drives a rollout from `desired` ready old pods: each step the controller plans from what it observes, then the plan is
 * applied. A pod created in one step is ready in the next; a pod deleted in one step is gone in the next. Old pods are
 * deleted not-ready first, as the ReplicaSet controller does. Records what the cluster looks like right after every
 * applied plan (the moment of lowest availability and highest pod count) and stops when the controller reports done;
 * throws if that takes more than `maxSteps` reconciles that still had work to do.
 */
function simulateRollout(desired: number, limits: RollingUpdateLimits, maxSteps: number): { steps: number; trace: Observation[] } {
  const c: Cluster = { desired, oldPods: desired, oldReady: desired, newPods: 0, newReady: 0, terminating: 0 };
  const trace: Observation[] = [
    { step: 0, oldPods: c.oldPods, newPods: c.newPods, available: c.oldReady, totalPods: c.oldPods, terminating: 0 },
  ];
  for (let step = 0; ; step++) {
    const plan = planRollingStep(countsOf(c), limits);
    if (plan.done) return { steps: step, trace };
    if (step === maxSteps) break;
    const unreadyOld = c.oldPods - c.oldReady;
    c.oldReady -= Math.max(0, plan.terminateOld - unreadyOld);
    c.oldPods -= plan.terminateOld;
    c.terminating = plan.terminateOld;
    c.newPods += plan.createNew;
    trace.push({
      step: step + 1,
      oldPods: c.oldPods,
      newPods: c.newPods,
      available: c.oldReady + c.newReady,
      totalPods: c.oldPods + c.newPods,
      terminating: c.terminating,
    });
    // between reconciles: started pods become ready, deleted pods finish terminating
    c.newReady = c.newPods;
    c.terminating = 0;
  }
  throw new Error(`rollout of ${desired} with ${JSON.stringify(limits)} did not finish in ${maxSteps} steps`);
}

function countsOf(c: Cluster): RolloutCounts {
  return { desired: c.desired, oldPods: c.oldPods, oldReady: c.oldReady, newPods: c.newPods, newReady: c.newReady };
}

const intOrPercent = (max: number): fc.Arbitrary<IntOrPercent> =>
  fc.oneof(
    fc.integer({ min: 0, max: 10 }),
    fc.integer({ min: 0, max }).map((p): IntOrPercent => `${p}%`),
  );

describe('resolveRollingUpdate', () => {
  it('defaults to 25% / 25%: 10 replicas surge 3 (rounded up) and lose at most 2 (rounded down)', () => {
    expect(resolveRollingUpdate(10)).toEqual({ maxSurgePods: 3, maxUnavailablePods: 2 });
    expect(resolveRollingUpdate(10, { maxSurge: '25%', maxUnavailable: '25%' })).toEqual({ maxSurgePods: 3, maxUnavailablePods: 2 });
  });

  it('with 3 replicas, 25% surges 1 pod and allows none unavailable', () => {
    expect(resolveRollingUpdate(3)).toEqual({ maxSurgePods: 1, maxUnavailablePods: 0 });
  });

  it('turns maxSurge 0 with maxUnavailable 0% into maxUnavailable 1 so the rollout can progress', () => {
    expect(resolveRollingUpdate(10, { maxSurge: 0, maxUnavailable: '0%' })).toEqual({ maxSurgePods: 0, maxUnavailablePods: 1 });
    // the tie-break also applies when percentages merely round to 0
    expect(resolveRollingUpdate(3, { maxSurge: '0%', maxUnavailable: '25%' })).toEqual({ maxSurgePods: 0, maxUnavailablePods: 1 });
  });

  it('keeps "one pod at a time" (maxSurge 1, maxUnavailable 0) as given', () => {
    expect(resolveRollingUpdate(4, { maxSurge: 1, maxUnavailable: 0 })).toEqual({ maxSurgePods: 1, maxUnavailablePods: 0 });
  });

  it('fills only the missing field with its default', () => {
    expect(resolveRollingUpdate(10, { maxSurge: 0 })).toEqual({ maxSurgePods: 0, maxUnavailablePods: 2 });
    expect(resolveRollingUpdate(10, { maxUnavailable: 5 })).toEqual({ maxSurgePods: 3, maxUnavailablePods: 5 });
  });

  it('lets maxSurge exceed 100% and returns pod counts above replicas unchanged', () => {
    expect(resolveRollingUpdate(4, { maxSurge: '150%', maxUnavailable: 7 })).toEqual({ maxSurgePods: 6, maxUnavailablePods: 7 });
  });

  it('with 0 replicas still returns a usable maxUnavailable of 1', () => {
    expect(resolveRollingUpdate(0)).toEqual({ maxSurgePods: 0, maxUnavailablePods: 1 });
  });

  test.prop([fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 100 })])(
    'percentages round surge up and unavailable down, exactly',
    (replicas, surgePercent, unavailablePercent) => {
      const limits = resolveRollingUpdate(replicas, { maxSurge: `${surgePercent}%`, maxUnavailable: `${unavailablePercent}%` });
      const surgeTimes100 = surgePercent * replicas;
      expect(limits.maxSurgePods * 100).toBeGreaterThanOrEqual(surgeTimes100);
      expect((limits.maxSurgePods - 1) * 100).toBeLessThan(surgeTimes100);
      if (limits.maxSurgePods > 0 || unavailablePercent * replicas >= 100) {
        const unavailableTimes100 = unavailablePercent * replicas;
        expect(limits.maxUnavailablePods * 100).toBeLessThanOrEqual(unavailableTimes100);
        expect((limits.maxUnavailablePods + 1) * 100).toBeGreaterThan(unavailableTimes100);
      } else {
        expect(limits.maxUnavailablePods).toBe(1);
      }
    },
  );

  it('rejects bad input with a message naming the function, field, value and what was expected', () => {
    expect(() => resolveRollingUpdate(10, { maxSurge: 'abc' as IntOrPercent })).toThrow(
      'resolveRollingUpdate: maxSurge must be a non-negative integer or a percentage like "25%", got "abc"',
    );
    expect(() => resolveRollingUpdate(10, { maxUnavailable: -1 })).toThrow(
      'resolveRollingUpdate: maxUnavailable must be a non-negative integer or a percentage like "25%", got -1',
    );
    expect(() => resolveRollingUpdate(10, { maxSurge: 1.5 })).toThrow('resolveRollingUpdate: maxSurge must be a non-negative integer');
    expect(() => resolveRollingUpdate(10, { maxSurge: '12.5%' })).toThrow('got "12.5%"');
    expect(() => resolveRollingUpdate(10, { maxSurge: '3' as IntOrPercent })).toThrow('got "3"');
    expect(() => resolveRollingUpdate(10, { maxUnavailable: '101%' })).toThrow(
      'resolveRollingUpdate: maxUnavailable percentage must be at most "100%", got "101%"',
    );
    expect(() => resolveRollingUpdate(-1)).toThrow('resolveRollingUpdate: replicas must be a non-negative integer (spec.replicas), got -1');
    expect(() => resolveRollingUpdate(Number.NaN)).toThrow('got NaN');
  });
});

describe('planRollingStep', () => {
  const oneAtATime = resolveRollingUpdate(4, { maxSurge: 1, maxUnavailable: 0 });

  it('starts a 10-replica 25%/25% rollout by surging 3 new pods and removing 2 old ones', () => {
    const limits = resolveRollingUpdate(10);
    expect(planRollingStep({ desired: 10, oldPods: 10, oldReady: 10, newPods: 0, newReady: 0 }, limits)).toEqual({
      createNew: 3,
      terminateOld: 2,
      done: false,
    });
  });

  it('does not remove old pods for new pods that are not available yet', () => {
    const limits = resolveRollingUpdate(10);
    // 8 old + 5 new = 13 = desired + surge; availability is at the minimum of 8
    expect(planRollingStep({ desired: 10, oldPods: 8, oldReady: 8, newPods: 5, newReady: 0 }, limits)).toEqual({
      createNew: 0,
      terminateOld: 0,
      done: false,
    });
    // once 3 new pods are available, 3 more old pods may go
    expect(planRollingStep({ desired: 10, oldPods: 8, oldReady: 8, newPods: 5, newReady: 3 }, limits).terminateOld).toBe(3);
  });

  it('removes not-ready old pods first without counting them against availability', () => {
    const limits = resolveRollingUpdate(10, { maxSurge: 3, maxUnavailable: 2 });
    // 3 of 10 old pods are crash-looping: availability is 7, below the minimum of 8, so no ready pod may go,
    // but 2 broken ones may (10 + 0 - 8 = 2 is the most the controller removes before new pods are available)
    expect(planRollingStep({ desired: 10, oldPods: 10, oldReady: 7, newPods: 0, newReady: 0 }, limits)).toEqual({
      createNew: 3,
      terminateOld: 2,
      done: false,
    });
    // with availability above the minimum, every broken pod and the spare ready ones go
    expect(planRollingStep({ desired: 10, oldPods: 10, oldReady: 9, newPods: 3, newReady: 3 }, limits).terminateOld).toBe(1 + 4);
  });

  it('keeps old pods while the new ones crash-loop (the controller comment\'s "case 1")', () => {
    const limits = resolveRollingUpdate(10, { maxSurge: 3, maxUnavailable: 2 });
    // 13 pods, minAvailable 8, 5 new pods unavailable: 13 - 8 - 5 = 0, so even the broken old pod stays
    expect(planRollingStep({ desired: 10, oldPods: 8, oldReady: 7, newPods: 5, newReady: 0 }, limits).terminateOld).toBe(0);
  });

  it('lets every remaining old pod go once all new pods are available', () => {
    expect(planRollingStep({ desired: 4, oldPods: 3, oldReady: 2, newPods: 4, newReady: 4 }, oneAtATime)).toEqual({
      createNew: 0,
      terminateOld: 3,
      done: false,
    });
  });

  it('reports done only when all desired new pods are available and no old pod is left', () => {
    expect(planRollingStep({ desired: 4, oldPods: 0, oldReady: 0, newPods: 4, newReady: 4 }, oneAtATime)).toEqual({
      createNew: 0,
      terminateOld: 0,
      done: true,
    });
    expect(planRollingStep({ desired: 4, oldPods: 0, oldReady: 0, newPods: 4, newReady: 3 }, oneAtATime).done).toBe(false);
    expect(planRollingStep({ desired: 4, oldPods: 1, oldReady: 1, newPods: 4, newReady: 4 }, oneAtATime).done).toBe(false);
  });

  it('caps maxUnavailable at desired, so a huge value removes every old pod but creates no more than desired', () => {
    expect(
      planRollingStep({ desired: 2, oldPods: 2, oldReady: 2, newPods: 0, newReady: 0 }, { maxSurgePods: 0, maxUnavailablePods: 50 }),
    ).toEqual({ createNew: 0, terminateOld: 2, done: false });
    expect(
      planRollingStep({ desired: 2, oldPods: 0, oldReady: 0, newPods: 0, newReady: 0 }, { maxSurgePods: 0, maxUnavailablePods: 50 }),
    ).toEqual({ createNew: 2, terminateOld: 0, done: false });
  });

  it('rolls 4 pods one at a time: surge one, wait for it, retire one old pod, repeat', () => {
    const { steps, trace } = simulateRollout(4, oneAtATime, 100);
    expect(trace.map((o) => [o.oldPods, o.newPods])).toEqual([
      [4, 0],
      [4, 1],
      [3, 1],
      [3, 2],
      [2, 2],
      [2, 3],
      [1, 3],
      [1, 4],
      [0, 4],
    ]);
    expect(steps).toBe(8);
    // old pods are retired on the steps after a new pod became ready, and are gone by the next one
    expect(trace.map((o) => o.terminating)).toEqual([0, 0, 1, 0, 1, 0, 1, 0, 1]);
    for (const o of trace) {
      // this strategy alternates creating and deleting, so even pods still shutting down never exceed the surge
      expect(o.totalPods + o.terminating).toBeLessThanOrEqual(4 + oneAtATime.maxSurgePods);
      expect(o.available).toBeGreaterThanOrEqual(4 - oneAtATime.maxUnavailablePods);
      expect(o.totalPods).toBeLessThanOrEqual(4 + oneAtATime.maxSurgePods);
    }
  });

  it('rolls 10 pods at 25%/25% in bigger batches', () => {
    const { steps, trace } = simulateRollout(10, resolveRollingUpdate(10), 100);
    expect(trace.map((o) => [o.oldPods, o.newPods])).toEqual([
      [10, 0],
      [8, 3], // surge 3, drop 2 (availability 8)
      [5, 5], // 3 new available: 3 old go, 2 more new fit
      [3, 8], // 5 available new + 5 old = 10: 2 old may go; 10 pods leave room for 3 new
      [0, 10], // 8 new available: the last 3 old go, 2 new fill up to desired
    ]);
    expect(steps).toBe(4);
    expect(Math.min(...trace.map((o) => o.available))).toBe(8);
  });

  test.prop([fc.integer({ min: 1, max: 50 }), intOrPercent(200), intOrPercent(100)])(
    'any rollout finishes within 2·desired steps, never surging past maxSurge nor dropping below minAvailable',
    (desired, maxSurge, maxUnavailable) => {
      const limits = resolveRollingUpdate(desired, { maxSurge, maxUnavailable });
      const minAvailable = desired - Math.min(limits.maxUnavailablePods, desired);
      // one pod at a time is the slowest strategy: each pod needs one step to start and one to replace an old pod
      const { steps, trace } = simulateRollout(desired, limits, 2 * desired);
      expect(steps).toBeLessThanOrEqual(2 * desired);
      for (const o of trace) {
        expect(o.totalPods).toBeLessThanOrEqual(desired + limits.maxSurgePods);
        expect(o.available).toBeGreaterThanOrEqual(minAvailable);
      }
      const last = trace[trace.length - 1]!;
      expect([last.oldPods, last.newPods]).toEqual([0, desired]);
    },
  );

  test.prop([
    fc
      .record({
        desired: fc.integer({ min: 0, max: 30 }),
        oldPods: fc.integer({ min: 0, max: 30 }),
        newPods: fc.integer({ min: 0, max: 30 }),
        oldReadyFraction: fc.double({ min: 0, max: 1, noNaN: true }),
        newReadyFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(
        (r): RolloutCounts => ({
          desired: r.desired,
          oldPods: r.oldPods,
          oldReady: Math.floor(r.oldPods * r.oldReadyFraction),
          newPods: r.newPods,
          newReady: Math.floor(r.newPods * r.newReadyFraction),
        }),
      ),
    fc.integer({ min: 0, max: 10 }),
    fc.integer({ min: 0, max: 10 }),
  ])(
    'from any observed state, one step never makes availability or surge worse than its bound',
    (counts, maxSurgePods, maxUnavailablePods) => {
      const step = planRollingStep(counts, { maxSurgePods, maxUnavailablePods });
      expect(step.createNew).toBeGreaterThanOrEqual(0);
      expect(step.terminateOld).toBeGreaterThanOrEqual(0);
      expect(step.terminateOld).toBeLessThanOrEqual(counts.oldPods);
      expect(counts.newPods + step.createNew).toBeLessThanOrEqual(Math.max(counts.newPods, counts.desired));
      const totalBefore = counts.oldPods + counts.newPods;
      const totalAfter = totalBefore - step.terminateOld + step.createNew;
      expect(totalAfter).toBeLessThanOrEqual(Math.max(totalBefore, counts.desired + maxSurgePods));
      // deleting not-ready old pods first, the ready ones lost are whatever the deletions exceed the not-ready count by
      const readyLost = Math.max(0, step.terminateOld - (counts.oldPods - counts.oldReady));
      const availableBefore = counts.oldReady + counts.newReady;
      const minAvailable = counts.desired - Math.min(maxUnavailablePods, counts.desired);
      expect(availableBefore - readyLost).toBeGreaterThanOrEqual(Math.min(availableBefore, minAvailable));
    },
  );

  it('rejects inconsistent counts and limits with a message naming the field, value and expectation', () => {
    const ok: RolloutCounts = { desired: 4, oldPods: 4, oldReady: 4, newPods: 0, newReady: 0 };
    expect(() => planRollingStep({ ...ok, oldReady: 5 }, oneAtATime)).toThrow(
      'planRollingStep: counts.oldReady must be <= counts.oldPods (4), got 5',
    );
    expect(() => planRollingStep({ ...ok, newPods: 1, newReady: 2 }, oneAtATime)).toThrow(
      'planRollingStep: counts.newReady must be <= counts.newPods (1), got 2',
    );
    expect(() => planRollingStep({ ...ok, desired: -1 }, oneAtATime)).toThrow(
      'planRollingStep: counts.desired must be a non-negative integer, got -1',
    );
    expect(() => planRollingStep({ ...ok, newPods: 0.5 }, oneAtATime)).toThrow(
      'planRollingStep: counts.newPods must be a non-negative integer, got 0.5',
    );
    expect(() => planRollingStep(ok, { maxSurgePods: 1, maxUnavailablePods: Number.NaN })).toThrow(
      'planRollingStep: limits.maxUnavailablePods must be a non-negative integer (use resolveRollingUpdate), got NaN',
    );
  });
});

describe('proportionalScale: the deployment controller scaling several ReplicaSets (sync.go scale, TestScale)', () => {
  // Kubernetes' own cases (pkg/controller/deployment/sync_test.go, TestScale): ReplicaSets oldest first, the new one
  // last; its test deployments have maxSurge 0 unless the case says otherwise
  const noSurge = { maxSurge: 0, maxUnavailable: 0 };
  it.each([
    ['normal scaling event: 10 -> 12', [10], 12, 10, noSurge, [12]],
    ['normal scaling event: 10 -> 5', [10], 5, 10, noSurge, [5]],
    ['proportional scaling: 5 -> 10', [3, 2], 10, 5, noSurge, [6, 4]],
    ['proportional scaling: 5 -> 3', [3, 2], 3, 5, noSurge, [2, 1]],
    ['proportional scaling: 9 -> 4', [1, 8], 4, 9, noSurge, [0, 4]],
    ['proportional scaling: 7 -> 10', [2, 3, 2], 10, 7, noSurge, [3, 4, 3]],
    ['proportional scaling: 13 -> 8', [3, 8, 2], 8, 13, noSurge, [2, 5, 1]],
    ['leftover distribution: 3 -> 4 (scales up the new set)', [1, 1, 1], 4, 3, noSurge, [1, 1, 2]],
    ['leftover distribution: 3 -> 2 (scales down the oldest)', [1, 1, 1], 2, 3, noSurge, [0, 1, 1]],
    ['proportional scaling (no new rs): 4 -> 5', [2, 2, 0], 5, 4, noSurge, [2, 3, 0]],
    ['proportional scaling: 6 -> 0', [1, 2, 3], 0, 6, noSurge, [0, 0, 0]],
    ['proportional scaling: 0 -> 6', [0, 0, 0], 6, 6, noSurge, [0, 0, 6]],
    ['deployment with surge pods', [6, 6], 20, 10, { maxSurge: 2, maxUnavailable: 0 }, [11, 11]],
    ['change both size and template', [3, 7, 0], 14, 10, noSurge, [4, 10, 0]],
  ] as const)('%s', (_, sizes, desired, previous, strategy, expected) => {
    expect(
      proportionalScale(
        sizes.map((replicas) => ({ replicas })),
        desired,
        previous,
        strategy,
      ),
    ).toEqual(expected);
  });

  it('a saturated new set takes everything: the old sets go to 0', () => {
    expect(proportionalScale([{ replicas: 1 }, { replicas: 2 }], 2, 2, { maxSurge: 1, maxUnavailable: 1 }, 2)).toEqual([0, 2]);
    // … and a saturated but broken one (none available) leaves the old pods alone
    expect(proportionalScale([{ replicas: 1 }, { replicas: 2 }], 2, 2, { maxSurge: 1, maxUnavailable: 1 }, 0)).toEqual([1, 2]);
  });

  it('the model’s paused manager rollout: 3 old and 1 new pod at 25%/25%, scaled to 6 → 6 old and 2 new', () => {
    // maxSurge 25% of 3 → 1 (max 4), of 6 → 2 (max 8): 4 pods to add, 3 × 8/4 − 3 = 3 to the old set, 1 to the new
    expect(proportionalScale([{ replicas: 3 }, { replicas: 1 }], 6, 3, { maxSurge: '25%', maxUnavailable: '25%' })).toEqual([6, 2]);
  });

  it('refuses what is not a deployment’s ReplicaSets', () => {
    expect(() => proportionalScale([], 1, 1, noSurge)).toThrow('proportionalScale: sets must list at least the new ReplicaSet');
    expect(() => proportionalScale([{ replicas: -1 }], 1, 1, noSurge)).toThrow(
      'proportionalScale: sets[0].replicas must be a non-negative integer, got -1',
    );
    expect(() => proportionalScale([{ replicas: 1 }], 1.5, 1, noSurge)).toThrow(
      'proportionalScale: desired must be a non-negative integer, got 1.5',
    );
  });
});
