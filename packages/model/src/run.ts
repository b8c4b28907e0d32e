/**
 * Runs a platform and summarises what happened: when the storm started and
 * ended, how long recovery took, the impact, the conservation checks, and the
 * trace hash that pins the run.
 *
 * The summary's notion of "recovered" is the simple one the replay needs
 * (connected fraction back at or above `recoveredFraction` and held until the
 * end of the run or for `holdMs`); the full oracle with slow/metastable
 * verdicts belongs to the check package.
 *
 * A storm is the connected fraction below `STORM_CONNECTED_FRACTION_BELOW`
 * (90%) after the trigger (storm.ts says why). A rollout that only dips below
 * the recovered fraction is no storm: `storm` is false, `stormStartMs` and
 * `timeToRecoverFromStormSec` undefined, and the summary says "no storm".
 */
import { type EngineName, type LoggingOptions, type Series, StampedeInputError } from '@stampede/kernel';
import type { PlatformParams } from './params.ts';
import { buildPlatform, connectedFraction, type Platform } from './platform.ts';
import { stormStartOf } from './storm.ts';

export interface RunOptions {
  seed: number;
  /** called every `progressEveryMs` of virtual time with (virtual ms done, total) */
  onProgress?: (doneMs: number, totalMs: number) => void;
  progressEveryMs?: number;
  logging?: LoggingOptions;
  /** what runs the actors' machines: 'compiled' (fast) or 'xstate' (the reference). @defaultValue 'compiled' */
  engine?: EngineName;
  /** connected fraction that counts as recovered. @defaultValue 0.99 */
  recoveredFraction?: number;
  /** how long it must hold. @defaultValue 10 min */
  holdMs?: number;
  /**
   * Called once with the built platform before its first event fires (every
   * actor is spawned, virtual time is 0): the place to subscribe to
   * `platform.sim.trace.records$`, `sim.network.sent$` or `sim.actors.inspection$`
   * for a recorder. Observing does not change the run (same trace hash);
   * sending, spawning or drawing random numbers from here would.
   */
  onBuild?: (platform: Platform) => void;
}

export interface Impact {
  blockedPipelines: number;
  failedSecretResolutions: number;
  apiErrors: number;
  tasksFailed: number;
  tasksExpired: number;
}

export interface RunSummary {
  name: string;
  seed: number;
  traceHash: string;
  events: number;
  delegates: number;
  durationMs: number;
  /** first timeline event (the trigger), or undefined without a timeline */
  triggerAtMs: number | undefined;
  /** whether there was a storm: the connected fraction fell below STORM_CONNECTED_FRACTION_BELOW after the trigger */
  storm: boolean;
  /** first sample at or after the trigger below STORM_CONNECTED_FRACTION_BELOW; undefined: no storm */
  stormStartMs: number | undefined;
  /** first sample at or after the trigger below the recovered fraction (a storm or a mere dip); undefined: never below */
  belowRecoveredFromMs: number | undefined;
  /** start of the final stretch at or above the recovered fraction (held for holdMs or to the end) after a dip below it */
  recoveredAtMs: number | undefined;
  /** start of the first stretch after the storm began that held for holdMs (or to the end); undefined without a storm */
  firstRecoveredAtMs: number | undefined;
  /** at or above the recovered fraction at the end of the run (held), or never below it after the trigger */
  recovered: boolean;
  /** from the storm's start to recovery; undefined without a storm or without recovery */
  timeToRecoverFromStormSec: number | undefined;
  /** from the trigger to recovery (0 when never below the recovered fraction): includes the rollout, use timeToRecoverFromStormSec for the storm */
  timeToRecoverSec: number | undefined;
  minConnectedFraction: number;
  impact: Impact;
  conservation: { held: boolean; violations: string[] };
  /** sockets routers still hold for delegates that closed them unseen (e.g. during a partition) */
  halfOpenSockets: number;
  log: [number, string][];
}

export interface RunResult {
  summary: RunSummary;
  series: Series[];
  connected: { timesMs: Float64Array; values: Float64Array };
}

export function runPlatform(params: PlatformParams, options: RunOptions): RunResult {
  const platform = buildPlatform(params, options.seed, { logging: options.logging, engine: options.engine });
  options.onBuild?.(platform);
  return continueRun(platform, options);
}

/**
 * Runs a built platform on from where it is to the end of its run and summarises it, as runPlatform does from the
 * start: what a branch forked part-way (forkPlatform) runs. `options.seed` is the seed the platform was built with
 * (for the summary); `onBuild`, `logging` and `engine` do not apply.
 */
export function continueRun(platform: Platform, options: RunOptions): RunResult {
  const { sim, state } = platform;
  const params = state.params;
  if (sim.now > params.durationMs)
    throw new StampedeInputError(
      `continueRun: the platform has run to ${sim.now} ms, past the end of the run (${params.durationMs} ms); its summary would not be the run's`,
    );
  const step = options.progressEveryMs ?? Math.max(params.sampleIntervalMs, params.durationMs / 100);
  // progress on a grid from 0, so that a run picked up part-way reports the same steps as one from the start
  for (let t = Math.min((Math.floor(sim.now / step) + 1) * step, params.durationMs); ; t = Math.min(t + step, params.durationMs)) {
    sim.runUntil(t);
    options.onProgress?.(t, params.durationMs);
    if (t >= params.durationMs) break;
  }
  const events = sim.queue.fired;
  const series = sim.metrics.series();
  const connected = connectedFraction(series, params.delegates.count);
  const threshold = options.recoveredFraction ?? 0.99;
  const holdMs = options.holdMs ?? 10 * 60_000;
  const triggerAtMs = params.timeline.length > 0 ? Math.min(...params.timeline.map((e) => e.atMs)) : undefined;

  // below the recovered fraction: a storm or a mere dip (a rollout's waves); recovery is the final stretch back above it
  let belowRecoveredFromMs: number | undefined;
  let recoveredAtMs: number | undefined;
  let min = 1;
  const { timesMs, values } = connected;
  for (let i = 0; i < values.length; i++) {
    const t = timesMs[i]!;
    if (triggerAtMs === undefined || t < triggerAtMs) continue;
    min = Math.min(min, values[i]!);
    if (values[i]! < threshold) {
      belowRecoveredFromMs ??= t;
      recoveredAtMs = undefined;
    } else if (belowRecoveredFromMs !== undefined && recoveredAtMs === undefined) {
      recoveredAtMs = t;
    }
  }
  // the storm: below STORM_CONNECTED_FRACTION_BELOW (recovery is still back at the recovered fraction)
  const stormStartMs = stormStartOf(connected, triggerAtMs);
  const end = timesMs.length > 0 ? timesMs[timesMs.length - 1]! : 0;
  let firstRecoveredAtMs: number | undefined;
  if (stormStartMs !== undefined) {
    let runStart: number | undefined;
    for (let i = 0; i < values.length && firstRecoveredAtMs === undefined; i++) {
      const t = timesMs[i]!;
      if (t <= stormStartMs) continue;
      if (values[i]! < threshold) runStart = undefined;
      else {
        runStart ??= t;
        if (t - runStart >= holdMs || i === values.length - 1) firstRecoveredAtMs = runStart;
      }
    }
  }
  const held = recoveredAtMs !== undefined && (end - recoveredAtMs >= holdMs || end >= params.durationMs);
  const recovered = belowRecoveredFromMs === undefined || held;
  const effectiveRecovery = belowRecoveredFromMs === undefined ? triggerAtMs : held ? recoveredAtMs : undefined;
  const timeToRecoverFromStormSec = stormStartMs === undefined || !held ? undefined : Math.max(0, (recoveredAtMs! - stormStartMs) / 1000);

  // conservation: every attempt ended once or is in flight; every task ended once or is in flight
  const violations = [...state.violations];
  const c = state.signals;
  if (c.reconnectAttempts.value !== attemptsOutcomes(c) + state.attemptsInFlight) {
    violations.push(
      `connection attempts ${c.reconnectAttempts.value} != outcomes ${attemptsOutcomes(c)} + in flight ${state.attemptsInFlight}`,
    );
  }
  const wl = sim.actors.get('workload').getSnapshot().context as { tasks: Map<number, unknown>; ended: number };
  if (c.tasksIssued.value !== wl.ended + wl.tasks.size) {
    violations.push(`tasks issued ${c.tasksIssued.value} != ended ${wl.ended} + in flight ${wl.tasks.size}`);
  }
  if (c.tasksCompleted.value + c.tasksFailed.value + c.tasksExpired.value !== wl.ended) {
    violations.push('task outcome counts do not add up to the tasks ended');
  }
  for (const s of series) if (s.kind === 'gauge' && s.values.some((v) => v < 0)) violations.push(`gauge ${s.name} went negative`);
  // Open sockets the routers hold beyond the connected delegates (and establishments in
  // flight): half-open sockets whose client's close never reached the router (a partition).
  // Zero without network faults; the tests hold the model to that.
  const halfOpenSockets = Math.max(0, c.slotsWebsocket.value - c.connected.value - state.attemptsInFlight);

  return {
    summary: {
      name: params.name,
      seed: options.seed,
      traceHash: sim.trace.hash,
      events,
      delegates: params.delegates.count,
      durationMs: params.durationMs,
      triggerAtMs,
      storm: stormStartMs !== undefined,
      stormStartMs,
      belowRecoveredFromMs,
      recoveredAtMs: held ? recoveredAtMs : undefined,
      firstRecoveredAtMs,
      recovered,
      timeToRecoverFromStormSec,
      timeToRecoverSec:
        effectiveRecovery === undefined || triggerAtMs === undefined ? undefined : Math.max(0, (effectiveRecovery - triggerAtMs) / 1000),
      minConnectedFraction: min,
      impact: {
        blockedPipelines: c.blockedPipelines.value,
        failedSecretResolutions: c.failedSecretResolutions.value,
        apiErrors: c.apiErrors.value,
        tasksFailed: c.tasksFailed.value,
        tasksExpired: c.tasksExpired.value,
      },
      conservation: { held: violations.length === 0, violations },
      halfOpenSockets,
      log: platform.log(),
    },
    series,
    connected,
  };
}

function attemptsOutcomes(c: import('./platform-state.ts').Signals): number {
  return (
    c.attemptEstablished.value +
    c.attemptRejected.value +
    c.attemptTimedOut.value +
    c.attemptAbandoned.value +
    c.attemptFailedUpstream.value +
    c.attemptShed.value
  );
}
