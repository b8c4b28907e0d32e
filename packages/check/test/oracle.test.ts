/**
 * The oracle on constructed cases (docs/design.md, "The oracle"), at 2,000 delegates.
 */
import { fileURLToPath } from 'node:url';
import { loadTopologyFile, prod4ElasticBaseline, prod4Incident, prod4Mitigated } from '@stampede/model';
import { describe, expect, it } from 'vitest';
import { applyCase, judge, type RolloutCase, resolveOracleOptions } from '../src/index.ts';

const example = (name: string) => fileURLToPath(new URL(`../../../examples/topologies/${name}`, import.meta.url));

describe('metastability oracle', () => {
  it('the incident is metastable: a stationary storm held up by sockets of clients that left, while the same configuration started quietly is healthy', () => {
    const v = judge(prod4Incident(), 1);
    expect(v.verdict).toBe('metastable');
    expect(v.dominantLoop).toBe('abandoned-acquires');
    expect(v.atDeadline.connectedFraction).toBeLessThan(0.5);
    expect(Math.abs(v.atDeadline.connectedTrendPerMin)).toBeLessThan(0.005);
    expect(v.loops.abandonedSlotShare).toBeGreaterThan(0.5);
    expect(v.control).toMatchObject({ healthy: true });
    expect(v.control!.connectedFraction).toBeGreaterThanOrEqual(0.99);
    expect(v.evidence).toContain('the storm sustains itself (abandoned-acquires)');
    // a moment of the run, not a duration: "27.0 min" read like "down for 27 minutes"
    expect(v.evidence).toMatch(/^not recovered at the deadline, minute \d+\.\d of the run: /);
  });

  it('the elastic baseline recovers within the deadline, with its time to recover', () => {
    const v = judge(prod4ElasticBaseline(), 1);
    expect(v.verdict).toBe('recovered');
    expect(v.timeToRecoverSec).toBeGreaterThan(0);
    expect(v.timeToRecoverSec).toBeLessThan(10 * 60);
    expect(v.recoveredAtMs).toBeLessThanOrEqual(v.deadlineMs);
    expect(v.dominantLoop).toBe('none');
    expect(v.control).toBeUndefined();
    expect(v.evidence).toMatch(/^recovered at minute \d+\.\d \(.*\), before the deadline at minute \d+\.\d: /);
  });

  it('a very long jittered reconnect on an elastic pool (no liveness restarts) is slow: still rising at the deadline', () => {
    const p = prod4ElasticBaseline();
    p.delegates.reconnect = { kind: 'exponential-full-jitter', baseMs: 30 * 60_000, capMs: 60 * 60_000 };
    p.delegates.healthCacheTtlMs = 3 * 60 * 60_000; // restarts would bypass the long wait
    const v = judge(p, 1);
    expect(v.verdict).toBe('slow');
    expect(v.atDeadline.connectedTrendPerMin).toBeGreaterThan(0.005);
    expect(v.atDeadline.connectedFraction).toBeLessThan(0.99);
    // nothing holds it down: no loop's evidence reaches its threshold, and the verdict does not invent one
    expect(v.loops.retryAmplification).toBeLessThan(2);
    expect(v.dominantLoop).toBe('unexplained');
  });

  it('manual rollbacks are not counted: the verdict is about recovering by itself', () => {
    const p = prod4Incident();
    expect(p.timeline.some((e) => e.kind === 'rollback')).toBe(true);
    const v = judge(p, 2);
    expect(v.verdict).toBe('metastable');
  });

  it('rejects options and topologies it cannot judge, saying why', () => {
    expect(() => resolveOracleOptions({ connectedThreshold: 1.5 })).toThrow(
      'oracle option connectedThreshold must be between 0 and 1, got 1.5',
    );
    const quiet = prod4ElasticBaseline();
    quiet.timeline = [];
    expect(() => judge(quiet, 1)).toThrow("judge: topology 'prod4-elastic-baseline' has no trigger");
    const early = prod4ElasticBaseline();
    early.timeline[0]!.atMs = 60_000;
    expect(() => judge(early, 1)).toThrow('the baseline needs 5 minutes of steady state before it');
  });

  it('a pod kill ends when it happens: the trigger window closes with the rollouts, not 30 min later', () => {
    const p = prod4ElasticBaseline({ delegates: 200 });
    p.timeline.push({ atMs: 11 * 60_000, kind: 'kill-pod', target: 'manager', count: 1, label: 'kill one manager pod' });
    const v = judge(p, 1);
    const rolloutsDone = judge(prod4ElasticBaseline({ delegates: 200 }), 1).triggerEndMs;
    expect(v.triggerEndMs).toBeLessThanOrEqual(Math.max(rolloutsDone, 11 * 60_000) + 60_000);
    expect(v.deadlineMs - v.triggerEndMs).toBe(15 * 60_000);
  });

  describe('names the loop from the evidence', () => {
    it('a fleet back in full with one router left without a slot for REST is an imbalance, not a retry loop', () => {
      // the finding of test/properties.test.ts (the mitigations without action item 1's headroom), fast-check seed 7,
      // run 22: the new routers come up one by one and the first takes the reconnecting sockets until it is full
      const topology = prod4Mitigated({ delegates: 200 });
      const rollout = topology.timeline[0]!;
      if (rollout.kind !== 'rollout') throw new Error('prod4Mitigated starts with the router rollout');
      rollout.pool = { ...rollout.pool, maxConnections: topology.router.pool.maxConnections / 2, cancelAbandonedAcquires: true };
      const c: RolloutCase = {
        policy: {
          router: { maxSurge: '10%', maxUnavailable: 0, minReadySeconds: 79 },
          manager: { maxSurge: 2, maxUnavailable: '97%', minReadySeconds: 0 },
          order: 'together',
          gapMs: 60_000,
        },
        faults: [],
        seed: 5,
      };
      const v = judge(applyCase(topology, c), c.seed);
      expect(v.verdict).toBe('metastable');
      expect(v.dominantLoop).toBe('imbalance');
      // the evidence: REST barely above the baseline, the fleet connected, one router full while the others had room
      expect(v.loops.retryAmplification).toBeLessThan(2);
      expect(v.atDeadline.connectedFraction).toBeGreaterThanOrEqual(0.99);
      expect(v.atDeadline.goodput).toBeLessThan(0.95);
      expect(v.loops.fullRouterShare).toBeGreaterThan(0.9);
      expect(v.loops.freeSlotShareElsewhere).toBeGreaterThan(0.3);
      expect(v.loops.abandonedSlotShare).toBe(0);
      expect(v.evidence).toContain('×1.6)');
      expect(v.evidence).toContain(
        'router-r2-4 had no free slot for 14.4 of the 14.8 min from t₁ to the deadline while the other 3 ready routers had 76 of 207 slots free',
      );
      // the storm itself (97% of the managers down at once) is long over: what it left sustains itself
      expect(v.severity.minConnectedFraction).toBe(0);
      expect(v.evidence).toContain('the storm sustains itself (imbalance)');
    });

    it('the Prod4 incident (200 delegates) is still named by the slots its departed clients hold, with every router full', () => {
      const v = judge(loadTopologyFile(example('prod4-incident-small.yaml')), 1);
      expect(v.verdict).toBe('metastable');
      expect(v.dominantLoop).toBe('abandoned-acquires');
      expect(v.traceHash).toBe('e4c15d949b3e9810');
      expect(v.loops.retryAmplification).toBeGreaterThan(2);
      // full everywhere is no imbalance: the other routers had no slot free either
      expect(v.loops.fullRouterShare).toBeGreaterThan(0.9);
      expect(v.loops.freeSlotShareElsewhere).toBe(0);
      expect(v.evidence).toContain('while the other 3 ready routers had 0 of 207 slots free');
    });

    it('a storm held up by retries (restarts kept out of the way, abandoned acquires cancelled) is still named retries', () => {
      const topology = prod4Incident({ delegates: 200 });
      const rollout = topology.timeline[0]!;
      if (rollout.kind !== 'rollout') throw new Error('prod4Incident starts with the router rollout');
      rollout.pool = { ...rollout.pool, cancelAbandonedAcquires: true };
      topology.delegates.healthCacheTtlMs = 3 * 60 * 60_000; // no liveness restarts: they would be named first
      const c: RolloutCase = {
        policy: {
          router: { maxSurge: 2, maxUnavailable: 1, minReadySeconds: 4 },
          manager: { maxSurge: 2, maxUnavailable: 1, minReadySeconds: 0 },
          order: 'manager-first',
          gapMs: 720_000,
        },
        faults: [{ atMs: 1_450_000, kind: 'partition', durationMs: 300_000, label: 'partition of delegates from routers for 5 min' }],
        seed: 13,
      };
      const v = judge(applyCase(topology, c), c.seed);
      expect(v.verdict).toBe('metastable');
      expect(v.dominantLoop).toBe('retries');
      expect(v.loops.retryAmplification).toBeGreaterThan(5);
      expect(v.atDeadline.connectedFraction).toBeLessThan(0.5);
      expect(v.loops.restartsPerDelegate).toBeLessThan(0.5);
      expect(v.evidence).toContain('the storm sustains itself (retries)');
    });
  });
});
