/**
 * The Prod4 replay at 2,000 delegates, asserting simulated outcomes read as a
 * timeline of the connected fraction. Each run takes 5-20 s of wall time.
 */
import { describe, expect, it } from 'vitest';
import { prod4ElasticBaseline, prod4Incident, type RunResult, runPlatform } from '../src/index.ts';

const MIN = 60_000;
/** connected fraction at virtual minute `m` */
const at = (r: RunResult, m: number) => r.connected.values[r.connected.timesMs.findIndex((t) => t >= m * MIN)]!;
const between = (r: RunResult, fromMin: number, toMin: number) =>
  [...r.connected.values].filter((_, i) => r.connected.timesMs[i]! >= fromMin * MIN && r.connected.timesMs[i]! <= toMin * MIN);
const final = (r: RunResult, name: string) => r.series.find((s) => s.name === name)!.values.at(-1)!;

describe('Prod4 replay', () => {
  it('the incident: below 50% connected from the burst until the rollback, back to 99% within 10 minutes after it', () => {
    const r = runPlatform(prod4Incident(), { seed: 1 });
    expect(at(r, 9)).toBeGreaterThanOrEqual(0.99); // steady state before the trigger at 10 min
    // the burst: the first sample below 50%, within 5 minutes of the trigger …
    const i = r.connected.values.findIndex((v, k) => r.connected.timesMs[k]! >= 10 * MIN && v < 0.5);
    const burstMin = r.connected.timesMs[i]! / MIN;
    expect(burstMin).toBeLessThan(15);
    // … and it stays below 50% until the rollback at 52 min
    expect(Math.max(...between(r, burstMin, 51.9))).toBeLessThan(0.5);
    expect(at(r, 62)).toBeGreaterThanOrEqual(0.99); // no action but the rollback at 52 min
    expect(r.summary.firstRecoveredAtMs).toBeGreaterThan(52 * MIN);
    expect(r.summary.conservation).toEqual({ held: true, violations: [] });
    expect(r.summary.halfOpenSockets).toBe(0);
    // the sustaining loop: upgrades done for clients that had left, pinning slots
    expect(final(r, 'manager.upgrades.wasted')).toBeGreaterThan(1000);
    expect(final(r, 'router.acquire.timeouts')).toBeGreaterThan(10_000);
  });

  it('the elastic baseline under the same rollouts recovers by itself', () => {
    const r = runPlatform(prod4ElasticBaseline(), { seed: 1 });
    expect(r.summary.recovered).toBe(true);
    expect(r.summary.timeToRecoverSec).toBeLessThan(5 * 60);
    expect(Math.min(...between(r, 20, 75))).toBeGreaterThanOrEqual(0.99);
    expect(r.summary.conservation).toEqual({ held: true, violations: [] });
  });

  it('the storm comes from the mechanism: cancelling abandoned acquires lets the incident recover without the rollback', () => {
    const r = runPlatform(prod4Incident({ pool: { cancelAbandonedAcquires: true } }), { seed: 1 });
    expect(Math.min(...between(r, 12, 13))).toBeLessThan(0.5); // the same burst …
    expect(Math.min(...between(r, 20, 51.9))).toBeGreaterThanOrEqual(0.99); // … but no loop
    expect(final(r, 'manager.upgrades.wasted')).toBe(0);
    expect(r.summary.conservation.held).toBe(true);
  });

  it('is deterministic: same seed, same trace hash and summary; another seed differs', () => {
    const small = () => {
      const p = prod4Incident({ delegates: 300 });
      p.durationMs = 20 * MIN;
      return p;
    };
    const a = runPlatform(small(), { seed: 7 }).summary;
    const b = runPlatform(small(), { seed: 7 }).summary;
    expect(b).toEqual(a);
    expect(runPlatform(small(), { seed: 8 }).summary.traceHash).not.toBe(a.traceHash);
  });
});

describe('faults', () => {
  it('a partition between delegates and routers: heartbeats notice it, delegates reconnect after heal, routers keep half-open sockets', () => {
    const p = prod4ElasticBaseline();
    p.timeline = [{ atMs: 10 * MIN, kind: 'partition', durationMs: 8 * MIN, label: 'delegates cut off from the routers for 8 min' }];
    p.durationMs = 30 * MIN;
    const r = runPlatform(p, { seed: 1 });
    expect(at(r, 10.8)).toBeGreaterThanOrEqual(0.99); // sockets look fine until a heartbeat goes unanswered (50 s)
    expect(at(r, 17)).toBeLessThan(0.05); // every delegate closed its socket within timeout + interval (5 min 50 s)
    expect(at(r, 25)).toBeGreaterThanOrEqual(0.99); // reconnected after the heal at 18 min
    expect(r.summary.halfOpenSockets).toBeGreaterThan(1000); // the closes lost in the partition: harmless to an elastic pool
    expect(r.summary.conservation.held).toBe(true);
  });
});
