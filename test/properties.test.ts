/**
 * Property-based rollout checks (docs/design.md, "Property checks") at 200 delegates, where one
 * oracle judgement takes well under a second. fast-check seeds are fixed so CI
 * runs the same cases; a failure prints its own seed and path.
 */
import { applyCase, conservationLaws, judge, noSelfSustainingFailureLoop, type RolloutCase, sanityLaw } from '@stampede/check';
import { prod4ElasticBaseline, prod4Incident, prod4Mitigated, resolveRollingUpdate } from '@stampede/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const FLEET = 200;
/** property runs take tens of seconds on a 2-core machine; never a speed assertion */
const LONG = 600_000;

describe('no rollout policy causes a self-sustaining failure loop', () => {
  it(
    'on the incident topology fast-check finds a counterexample, shrinks it to a small policy, and its replay reproduces it',
    () => {
      const topology = prod4Incident({ delegates: FLEET });
      const property = noSelfSustainingFailureLoop(topology);
      const run = fc.check(property, { numRuns: 50, seed: 42 });
      expect(run.failed).toBe(true);
      const [c] = run.counterexample as [RolloutCase];
      const policy = c.policy;
      expect(c.faults).toEqual([]);
      // small: at most one pod more and one pod missing at a time, for both deployments
      for (const [deployment, replicas] of [
        [policy.router, topology.router.replicas],
        [policy.manager, topology.manager.replicas],
      ] as const) {
        const limits = resolveRollingUpdate(replicas, deployment);
        expect(limits.maxSurgePods).toBeLessThanOrEqual(1);
        expect(limits.maxUnavailablePods).toBeLessThanOrEqual(1);
      }
      expect([policy.router.minReadySeconds, policy.manager.minReadySeconds]).toEqual([0, 0]);
      expect(String(run.errorInstance)).toMatch(/rollout policy \(router: maxSurge .*\) with simulation seed \d+ is metastable/);
      // the replay fast-check prints ({ seed, path, endOnFailure: true }) fails at once on the same case
      const replay = fc.check(property, { seed: run.seed, path: run.counterexamplePath!, endOnFailure: true });
      expect(replay.failed).toBe(true);
      expect(replay.counterexample).toEqual(run.counterexample);
      // and so does judging the shrunk case directly
      expect(judge(applyCase(topology, c), c.seed).verdict).toBe('metastable');
    },
    LONG,
  );

  it(
    'the sanity law: with an elastic pool, no policy is ever metastable (200 cases)',
    () => {
      fc.assert(sanityLaw(prod4ElasticBaseline({ delegates: FLEET })), { numRuns: 200, seed: 1 });
    },
    LONG,
  );

  it(
    'with all five postmortem action items applied, no policy is metastable (200 cases)',
    () => {
      fc.assert(noSelfSustainingFailureLoop(prod4Mitigated({ delegates: FLEET })), { numRuns: 200, seed: 7 });
    },
    LONG,
  );

  it(
    "without action item 1's headroom, the other four and cancelled abandoned acquires still let a policy fail (a finding, pinned)",
    () => {
      const topology = prod4Mitigated({ delegates: FLEET });
      const rollout = topology.timeline[0]!;
      if (rollout.kind !== 'rollout') throw new Error('prod4Mitigated starts with the router rollout');
      rollout.pool = { ...rollout.pool, maxConnections: topology.router.pool.maxConnections / 2, cancelAbandonedAcquires: true };
      const run = fc.check(noSelfSustainingFailureLoop(topology), { numRuns: 60, seed: 7 });
      expect(run.failed).toBe(true);
      expect(String(run.errorInstance)).toContain('is metastable');
    },
    LONG,
  );

  it(
    'conservation holds for every policy: attempts and tasks end once, pools stay within their limits, no count goes negative',
    () => {
      fc.assert(conservationLaws(prod4Incident({ delegates: FLEET })), { numRuns: 25, seed: 3 });
    },
    LONG,
  );

  it('the sanity law refuses a topology it does not cover', () => {
    expect(() => sanityLaw(prod4Incident({ delegates: FLEET }))).toThrow(
      "sanityLaw: topology 'prod4-incident' has a fixed pool that keeps abandoned acquires",
    );
  });
});
