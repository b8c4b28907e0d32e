/**
 * The storm definition (storm.ts): below STORM_CONNECTED_FRACTION_BELOW after
 * the trigger. A rollout that only dips below the recovered fraction is no
 * storm, and time to recover is measured from the storm's start.
 */
import { describe, expect, it } from 'vitest';
import { prod4ElasticBaseline, prod4Incident, runPlatform, STORM_CONNECTED_FRACTION_BELOW, stormStartOf } from '../src/index.ts';

const MIN = 60_000;

describe('storm', () => {
  it('is the first sample at or after the trigger below the threshold (90%)', () => {
    expect(STORM_CONNECTED_FRACTION_BELOW).toBe(0.9);
    const connected = { timesMs: [MIN, 2 * MIN, 3 * MIN, 4 * MIN, 5 * MIN], values: [0.5, 0.95, 0.91, 0.89, 0.2] };
    expect(stormStartOf(connected, 2 * MIN)).toBe(4 * MIN); // the dip before the trigger and 91% do not count
    expect(stormStartOf(connected, undefined)).toBeUndefined();
    expect(stormStartOf({ timesMs: [MIN, 2 * MIN], values: [0.98, 0.9] }, 0)).toBeUndefined(); // 90% exactly is not below
  });

  it("a long rollout whose fleet never falls below 90% is no storm: no time to recover, the rollout's length labelled as such", () => {
    // 30 manager pods replaced one at a time: each sends ~10 of 300 delegates back, the elastic routers take them at once
    const p = prod4ElasticBaseline({ delegates: 300 });
    p.manager.replicas = 30;
    p.manager.strategy = { maxSurge: 1, maxUnavailable: 0, minReadyMs: 30_000 };
    p.timeline = [{ atMs: 10 * MIN, kind: 'rollout', target: 'manager', label: 'a slow manager rollout' }];
    p.durationMs = 45 * MIN;
    const s = runPlatform(p, { seed: 1 }).summary;
    expect(s.minConnectedFraction).toBeGreaterThanOrEqual(STORM_CONNECTED_FRACTION_BELOW);
    expect(s.minConnectedFraction).toBeLessThan(0.99); // it did dip below the recovered fraction …
    expect(s.belowRecoveredFromMs).toBeGreaterThanOrEqual(10 * MIN);
    expect(s.storm).toBe(false); // … but that is the rollout, not a storm
    expect(s.stormStartMs).toBeUndefined();
    expect(s.firstRecoveredAtMs).toBeUndefined();
    expect(s.timeToRecoverFromStormSec).toBeUndefined();
    expect(s.recovered).toBe(true);
    expect(s.timeToRecoverSec).toBeGreaterThan(10 * 60); // from the trigger: the rollout's length
  });

  it("the incident's time to recover is measured from its storm's start, not from the trigger", () => {
    const withRollback = prod4Incident({ delegates: 300 });
    withRollback.durationMs = 75 * MIN;
    const s = runPlatform(withRollback, { seed: 1 }).summary;
    expect(s.storm).toBe(true);
    expect(s.stormStartMs).toBeGreaterThan(s.triggerAtMs!); // the burst comes a little after the router rollout starts
    expect(s.recoveredAtMs).toBeGreaterThan(52 * MIN); // after the manual rollback
    expect(s.timeToRecoverFromStormSec).toBe((s.recoveredAtMs! - s.stormStartMs!) / 1000);
    expect(s.timeToRecoverSec! - s.timeToRecoverFromStormSec!).toBe((s.stormStartMs! - s.triggerAtMs!) / 1000);
  });
});
