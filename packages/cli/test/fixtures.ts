/** A fixed RunSummary and series for the format and export tests. */
import type { Verdict } from '@stampede/check';
import type { Series } from '@stampede/kernel';
import type { RunSummary } from '@stampede/model';

const MIN = 60_000;

/** A 20-minute run: trigger at 10:00, storm from 10:30, first recovered 13:00, finally recovered 15:00. */
export function fixedSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    name: 'fixture',
    seed: 42,
    traceHash: '0123456789abcdef',
    events: 12345,
    delegates: 200,
    durationMs: 20 * MIN,
    triggerAtMs: 10 * MIN,
    storm: true,
    stormStartMs: 10 * MIN + 30_000,
    belowRecoveredFromMs: 10 * MIN + 30_000,
    recoveredAtMs: 15 * MIN,
    firstRecoveredAtMs: 13 * MIN,
    recovered: true,
    timeToRecoverFromStormSec: 270,
    timeToRecoverSec: 300,
    minConnectedFraction: 0.1234,
    impact: { blockedPipelines: 7, failedSecretResolutions: 11, apiErrors: 13, tasksFailed: 17, tasksExpired: 19 },
    conservation: { held: true, violations: [] },
    halfOpenSockets: 0,
    log: [
      [10 * MIN, 'deploy-router: rollout to revision 2: router upgrade'],
      [12 * MIN + 5_000, 'deploy-router: rollback to the previous pod template'],
    ],
    ...overrides,
  };
}

/**
 * Connected fraction sampled every 30 s over 20 minutes: 1 until 10:00, 0.1
 * from 10:30 to 12:30, 0.5 at 13:00 and 13:30, 1 from 14:00 on.
 */
export function fixedConnected(): { timesMs: Float64Array; values: Float64Array } {
  const times: number[] = [];
  const values: number[] = [];
  for (let t = 30_000; t <= 20 * MIN; t += 30_000) {
    times.push(t);
    values.push(t <= 10 * MIN ? 1 : t <= 12.5 * MIN ? 0.1 : t <= 13.5 * MIN ? 0.5 : 1);
  }
  return { timesMs: Float64Array.from(times), values: Float64Array.from(values) };
}

export function series(name: string, kind: Series['kind'], timesMs: number[], values: number[]): Series {
  return { name, kind, intervalMs: 5_000, timesMs: Float64Array.from(timesMs), values: Float64Array.from(values) };
}

/** A fixed metastable verdict of the oracle (trigger at 10:00, deadline 28:00), for the format and export tests. */
export function fixedVerdict(overrides: Partial<Verdict> = {}): Verdict {
  return {
    verdict: 'metastable',
    seed: 42,
    engine: 'compiled',
    traceHash: 'fedcba9876543210',
    triggerAtMs: 10 * MIN,
    triggerEndMs: 13 * MIN,
    deadlineMs: 28 * MIN,
    recoveredAtMs: undefined,
    timeToRecoverSec: undefined,
    storm: true,
    stormStartMs: 10 * MIN + 30_000,
    timeToRecoverFromStormSec: undefined,
    severity: { minConnectedFraction: 0.1234, peakPendingAcquires: 480, routersAdded: 2 },
    baseline: { connectedFraction: 1, goodput: 1, attemptsPerSec: 0.01, restCallsPerSec: 2 },
    atDeadline: {
      connectedFraction: 0.59,
      connectedTrendPerMin: 0,
      goodput: 0.6,
      acquireTimeoutsPerMin: 187,
      attemptsPerSec: 3,
      restCallsPerSec: 5,
    },
    dominantLoop: 'abandoned-acquires',
    loops: {
      abandonedSlotShare: 0.4,
      staleSlotShare: 0.01,
      restartsPerDelegate: 0.2,
      retryAmplification: 3.9,
      fullRouterShare: 1,
      freeSlotShareElsewhere: 0,
    },
    control: { healthy: true, connectedFraction: 1, goodput: 1, acquireTimeoutsPerMin: 0 },
    evidence: 'not recovered at the deadline, minute 28.0 of the run: connected 59.0%, the fixture',
    ...overrides,
  };
}
