/**
 * The oracle on constructed cases (docs/design.md, "The oracle"), at 2,000 delegates.
 */
import { prod4ElasticBaseline, prod4Incident } from '@stampede/model';
import { describe, expect, it } from 'vitest';
import { judge, resolveOracleOptions } from '../src/index.ts';

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
});
