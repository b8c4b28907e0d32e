/**
 * The metastability oracle (docs/design.md, "The oracle"): recovered, slow or metastable, with
 * the evidence that decided it.
 *
 * 1. The scenario runs without its manual rollbacks: the question is whether
 *    the platform comes back *by itself*.
 * 2. The baseline is measured in the 5 minutes before the trigger (the first
 *    timeline event). The trigger window ends at t₁, when every rollout has
 *    finished and every injected fault has ended.
 * 3. Recovered: some t* in [last timeline event, t₁ + T] after which, for the hold window W, the
 *    connected fraction never drops below X, goodput averages at least
 *    (1 − ε) × baseline, and acquire timeouts are ≈ 0.
 * 4. Otherwise slow, if the connected fraction is still rising before the
 *    deadline; or metastable, if it is stationary *and* the same final
 *    configuration started quietly (no burst) holds the load: the system has a
 *    good and a bad stable state, and the trigger moved it to the bad one.
 *    That control run is our "pulse": it removes the sustaining effect (the
 *    storm's accumulated state) entirely instead of for 60 s.
 * 5. A stationary storm whose final configuration cannot hold the load even
 *    from a quiet start is `overloaded`: under-provisioned, not metastable
 *    (a verdict a two-way recovered/metastable oracle lacks; without it such a case would be mislabelled).
 *
 * Both runs use the engine of `options.engine` ('compiled' by default;
 * 'xstate' to confirm a verdict on xstate's own interpreter).
 */
import { type EngineName, type Series, StampedeInputError } from '@stampede/kernel';
import type { Platform, PlatformParams, TimelineEvent } from '@stampede/model';
import { buildPlatform, eventEndMs, STORM_CONNECTED_FRACTION_BELOW, settledConfiguration, stormStartOf } from '@stampede/model';
import type { ControlRuns } from './control-runs.ts';
import { type OracleOptions, resolveOracleOptions } from './options.ts';
import { placementOf, type RouterSlots, readyRouterSlots } from './placement.ts';
import { counterAt, ratePerSec, type Sampled, seriesByName, slopePerMin, windowMean, windowMin } from './series-math.ts';

export const VERDICT_KINDS = ['recovered', 'slow', 'metastable', 'overloaded'] as const;
export type VerdictKind = (typeof VERDICT_KINDS)[number];
/**
 * What held a storm up (docs/design.md, "The oracle"); 'unexplained': not recovered, but no loop's evidence
 * reached its threshold (e.g. a slow recovery, an under-provisioned configuration); 'none': recovered.
 */
export const SUSTAINING_LOOPS = [
  'abandoned-acquires',
  'stale-connections',
  'restarts',
  'imbalance',
  'retries',
  'unexplained',
  'none',
] as const;
export type SustainingLoop = (typeof SUSTAINING_LOOPS)[number];

export interface Verdict {
  verdict: VerdictKind;
  seed: number;
  /** what ran the actors' machines in the judged run and the control run, as the simulation reports it (options.engine) */
  engine: EngineName;
  /**
   * hash of the judged run: up to the deadline + W, or, for a storm still below the connected
   * threshold just after the deadline, up to that sample (the rest cannot change the verdict)
   */
  traceHash: string;
  /** first timeline event */
  triggerAtMs: number;
  /** t₁: rollouts finished and faults ended */
  triggerEndMs: number;
  /** t₁ + T */
  deadlineMs: number;
  recoveredAtMs: number | undefined;
  /** from the trigger (the first timeline event) to recoveredAtMs: includes the rollout; undefined when not recovered */
  timeToRecoverSec: number | undefined;
  /** whether the judged run had a storm: connected below STORM_CONNECTED_FRACTION_BELOW (@stampede/model) after the trigger */
  storm: boolean;
  /** the storm's first sample below STORM_CONNECTED_FRACTION_BELOW; undefined: no storm */
  stormStartMs: number | undefined;
  /** from the storm's start to recoveredAtMs; undefined without a storm or when not recovered */
  timeToRecoverFromStormSec: number | undefined;
  /** how hard the judged run was hit, from the trigger to the end of the judged run */
  severity: Severity;
  /** goodput is the share of issued tasks acquired within the SLA (a ratio, so Poisson noise in the arrivals cancels) */
  /** attemptsPerSec: WebSocket opens started; restCallsPerSec: REST calls through the routers (registrations, task calls, secrets, API) */
  baseline: { connectedFraction: number; goodput: number; attemptsPerSec: number; restCallsPerSec: number };
  /** the metric values at the deadline that decided the verdict */
  atDeadline: {
    connectedFraction: number;
    connectedTrendPerMin: number;
    goodput: number;
    acquireTimeoutsPerMin: number;
    attemptsPerSec: number;
    restCallsPerSec: number;
  };
  /** what held the storm up, measured between t₁ and the deadline */
  dominantLoop: SustainingLoop;
  loops: {
    abandonedSlotShare: number;
    staleSlotShare: number;
    restartsPerDelegate: number;
    retryAmplification: number;
    /** share of the samples from t₁ to the deadline at which the fullest ready router (fixed pool) had no free slot */
    fullRouterShare: number;
    /** at those samples, the free slots of the other ready routers over their capacity (0 when none was ever full) */
    freeSlotShareElsewhere: number;
  };
  /** the control run of the final configuration from a quiet start (only for stationary storms) */
  control: { healthy: boolean; connectedFraction: number; goodput: number; acquireTimeoutsPerMin: number } | undefined;
  /** one-paragraph explanation */
  evidence: string;
}

/** How hard a judged run was hit, over its series from the trigger to where the judged run stopped. */
export interface Severity {
  /** lowest connected fraction */
  minConnectedFraction: number;
  /** most acquires waiting for a slot across the routers at one sample */
  peakPendingAcquires: number;
  /** router pods the autoscaler added: the most ready-or-starting pods after the rollouts ended (no surge) minus those before the trigger */
  routersAdded: number;
}

const SAMPLE_STEP_MS = 30_000;

/**
 * A retry loop needs the requests through the routers (socket opens + REST calls) at the deadline
 * at least twice the baseline: on average every request sent twice. Less is what a partly working
 * fleet retries for its failing share — an imbalance's one full router of four gave 0.9–1.8× (and
 * once 2.4×, named an imbalance by its own evidence first) in 400 generated cases at 200
 * delegates — plus the noise of a 5-minute rate (about ±13% at two standard deviations for the
 * 240 REST calls of a 200-delegate baseline). The storms held up by retries reach 3–7×.
 */
const RETRY_AMPLIFICATION_AT_LEAST = 2;
/**
 * An imbalance: the fleet is back (connected at the deadline meets X), yet one ready router had no
 * free slot for at least half of the samples from t₁ to the deadline — stationary, not a burst
 * passing through — while the other ready routers had at least a tenth of their slots free on
 * average at those samples: the capacity is there, on the wrong routers. Sockets pinned there never
 * move, and every REST call load-balanced onto the full router waits for an acquire.
 */
const IMBALANCE_FULL_SHARE = 0.5;
const IMBALANCE_FREE_ELSEWHERE = 0.1;

/**
 * t₁, or undefined while the trigger window is still open at `nowMs`: every event has happened, every fault window
 * (partitions, spikes, an `admit` with a duration) has ended, and every rollout has finished. A rollout, a `restart`
 * and a rollback the judgement keeps each end with a completion; a pod kill, a `scale`, a `reconfigure`, a `pause`,
 * a `resume` and an `admit` left in force end when they happen. A rollout held by a `pause` that is never resumed
 * never completes: once every rollout still in progress is held so, the window closes (nothing moves them on).
 */
function triggerEnd(params: PlatformParams, state: Platform['state'], nowMs: number): number | undefined {
  const events = params.timeline;
  const lastEvent = Math.max(...events.map((e) => e.atMs));
  const windowEnds = events.map(eventEndMs);
  const rollouts = events.filter((e) => e.kind === 'rollout' || e.kind === 'restart' || e.kind === 'rollback').length;
  const done = state.rolloutsCompletedAtMs.filter((t) => t >= Math.min(...events.map((e) => e.atMs)));
  if (nowMs < Math.max(lastEvent, ...windowEnds)) return undefined;
  const inProgress = [state.rollouts.router, state.rollouts.manager].filter((r) => r.inProgress);
  const held = inProgress.length > 0 && inProgress.every((r) => r.paused);
  if (done.length < rollouts && !held) return undefined;
  return Math.max(lastEvent, ...windowEnds, ...done);
}

/** Goodput over [fromMs, toMs]: the share of issued tasks acquired within the SLA (1 when none were issued). */
function goodputOf(series: Series[]): (fromMs: number, toMs: number) => number {
  const acquiredInSla = seriesByName(series, 'tasks.acquired-in-sla');
  const issued = seriesByName(series, 'tasks.issued');
  return (fromMs, toMs) => {
    const n = counterAt(issued, toMs) - counterAt(issued, fromMs);
    return n === 0 ? 1 : (counterAt(acquiredInSla, toMs) - counterAt(acquiredInSla, fromMs)) / n;
  };
}

const amplification = (now: number, base: number) => (base > 0 ? now / base : now > 0 ? Number.POSITIVE_INFINITY : 0);

/**
 * Why the oracle cannot judge `params` (without 'judge: '), or undefined when it can: a judgement needs a trigger (a
 * timeline event other than a left-out rollback) with 5 minutes of steady state before it, for the baseline. Commands
 * call this before they start long work, so a topology that cannot be judged is refused up front.
 */
export function unjudgeable(params: PlatformParams, keepRollbacks = false): string | undefined {
  const timeline = keepRollbacks ? params.timeline : params.timeline.filter((e: TimelineEvent) => e.kind !== 'rollback');
  if (timeline.length === 0) return `topology '${params.name}' has no trigger (no timeline event but rollbacks): nothing to judge`;
  const triggerAtMs = Math.min(...timeline.map((e) => e.atMs));
  if (triggerAtMs < 5 * 60_000)
    return `the first timeline event is at ${triggerAtMs / 1000} s; the baseline needs 5 minutes of steady state before it`;
  return undefined;
}

export function judge(params: PlatformParams, seed: number, options: OracleOptions = {}, controls?: ControlRuns): Verdict {
  const o = resolveOracleOptions(options);
  const problem = unjudgeable(params, o.keepRollbacks);
  if (problem !== undefined) throw new StampedeInputError(`judge: ${problem}`);
  const p: PlatformParams = structuredClone(params);
  if (!o.keepRollbacks) p.timeline = p.timeline.filter((e: TimelineEvent) => e.kind !== 'rollback');
  return judgeRun(buildPlatform(p, seed, { engine: o.engine }), seed, o, controls);
}

/**
 * Judges a platform already built, as it is (its timeline as it stands, rollbacks included): a branch forked part-way
 * through a run (forkPlatform) by `stampede whatif`. Same verdict as `judge` of its parameters with keepRollbacks. The
 * platform must not have run past its last timeline event (the judgement starts there).
 * `seed` is the one the platform was built with (for the control run); `options.engine` is the platform's own.
 * `controls`: control runs kept from earlier judgements in this thread, to reuse (control-runs.ts).
 */
export function judgePlatform(platform: Platform, seed: number, options: OracleOptions = {}, controls?: ControlRuns): Verdict {
  const o = resolveOracleOptions({ ...options, keepRollbacks: true, engine: platform.sim.engine });
  const problem = unjudgeable(platform.state.params, true);
  if (problem !== undefined) throw new StampedeInputError(`judge: ${problem}`);
  const lastEventMs = Math.max(...platform.state.params.timeline.map((e) => e.atMs));
  if (platform.sim.now > lastEventMs)
    throw new StampedeInputError(
      `judge: the platform has run to ${platform.sim.now} ms, past its last timeline event (${lastEventMs} ms), where the judgement starts`,
    );
  return judgeRun(platform, seed, o, controls);
}

function judgeRun(platform: Platform, seed: number, o: ReturnType<typeof resolveOracleOptions>, controls?: ControlRuns): Verdict {
  const { sim, state } = platform;
  const p = state.params;
  const triggerAtMs = Math.min(...p.timeline.map((e) => e.atMs));
  const lastEvent = Math.max(...p.timeline.map((e) => e.atMs));
  let t1: number | undefined;
  for (let t = lastEvent; t1 === undefined && t <= lastEvent + o.maxTriggerWindowMs; t += SAMPLE_STEP_MS) {
    sim.runUntil(t);
    t1 = triggerEnd(p, state, t);
  }
  const triggerEndMs = t1 ?? lastEvent + o.maxTriggerWindowMs;
  const deadlineMs = triggerEndMs + o.deadlineMs;
  const endMs = deadlineMs + o.holdMs;
  const delegates = p.delegates.count;
  // A recovery window starting by the deadline may need data up to deadline + W — unless the connected
  // fraction is below X at the first sample after the deadline: every window that reaches past that
  // sample contains it and fails, and every other window is already observed. A stationary storm is
  // known to be unrecovered W earlier than the full run would say (about a quarter of a judgement).
  // Only when the series cannot halve its resolution before endMs: a halving would average the
  // samples the full run judges, and the verdict must not depend on where the run stopped.
  const interval = sim.metrics.sampleIntervalMs;
  const halvesBeforeEnd = endMs / interval >= sim.metrics.maxSamples;
  // each ready router's free slots, read from its pool once per sample interval from t₁ to the
  // deadline (the series only hold the fleet's sums); reading does not change the run
  const routerSamples: RouterSlots[][] = [];
  for (let t = (Math.floor(sim.now / interval) + 1) * interval; t <= deadlineMs; t += interval) {
    sim.runUntil(t);
    routerSamples.push(readyRouterSlots(state));
  }
  sim.runUntil(Math.max(sim.now, Math.min(endMs, deadlineMs + 2 * interval)));
  const afterDeadline = seriesByName(sim.metrics.series(), 'delegates.connected');
  const k = afterDeadline.timesMs.findIndex((t) => t > deadlineMs);
  const settled = !halvesBeforeEnd && k >= 0 && afterDeadline.values[k]! / delegates < o.connectedThreshold;
  if (!settled) sim.runUntil(Math.max(sim.now, endMs));

  const series = sim.metrics.series();
  const connectedCount = seriesByName(series, 'delegates.connected');
  const connected: Sampled = { timesMs: connectedCount.timesMs, values: connectedCount.values.map((v) => v / delegates) };
  const goodput = goodputOf(series);
  const timeouts = seriesByName(series, 'router.acquire.timeouts');
  const attempts = seriesByName(series, 'delegates.connect.attempts');
  // retries show up as socket opens while delegates can register, and as REST calls (registration
  // retries every 60 s, task and API retries) while they cannot: a storm can hold the fleet down with
  // almost no socket opens at all
  const restCalls = seriesByName(series, 'router.rest.calls');

  const baseFrom = triggerAtMs - 5 * 60_000;
  const baseline = {
    connectedFraction: windowMean(connected, baseFrom, triggerAtMs),
    goodput: goodput(baseFrom, triggerAtMs),
    attemptsPerSec: ratePerSec(attempts, baseFrom, triggerAtMs),
    restCallsPerSec: ratePerSec(restCalls, baseFrom, triggerAtMs),
  };

  // recovery: the earliest sample t* ≤ deadline whose hold window satisfies every condition;
  // t* is not before the last timeline event (a quiet stretch between two rollouts is not recovery)
  let recoveredAtMs: number | undefined;
  const step = sim.metrics.sampleIntervalMs;
  for (let t = lastEvent; t <= deadlineMs && recoveredAtMs === undefined; t += step) {
    const until = t + o.holdMs;
    if (windowMin(connected, t, until) < o.connectedThreshold) continue;
    if (goodput(t, until) < (1 - o.goodputTolerance) * baseline.goodput) continue;
    if (ratePerSec(timeouts, t, until) * 60 > o.acquireTimeoutsPerMinTolerance) continue;
    recoveredAtMs = t;
  }

  const trendFrom = deadlineMs - 5 * 60_000;
  const atDeadline = {
    connectedFraction: windowMean(connected, deadlineMs - 60_000, deadlineMs),
    connectedTrendPerMin: slopePerMin(connected, trendFrom, deadlineMs),
    goodput: goodput(trendFrom, deadlineMs),
    acquireTimeoutsPerMin: ratePerSec(timeouts, trendFrom, deadlineMs) * 60,
    attemptsPerSec: ratePerSec(attempts, trendFrom, deadlineMs),
    restCallsPerSec: ratePerSec(restCalls, trendFrom, deadlineMs),
  };

  const capacity = windowMean(seriesByName(series, 'router.slots.capacity'), triggerEndMs, deadlineMs);
  const restarts = seriesByName(series, 'delegates.restarts');
  const placement = placementOf(routerSamples);
  const loops = {
    abandonedSlotShare: capacity > 0 ? windowMean(seriesByName(series, 'router.slots.abandoned'), triggerEndMs, deadlineMs) / capacity : 0,
    staleSlotShare: capacity > 0 ? windowMean(seriesByName(series, 'router.slots.stale'), triggerEndMs, deadlineMs) / capacity : 0,
    restartsPerDelegate: (counterAt(restarts, deadlineMs) - counterAt(restarts, triggerEndMs)) / delegates,
    // requests through the routers (socket opens + REST calls) at the deadline, relative to the baseline
    retryAmplification: amplification(
      atDeadline.attemptsPerSec + atDeadline.restCallsPerSec,
      baseline.attemptsPerSec + baseline.restCallsPerSec,
    ),
    fullRouterShare: placement.samples > 0 ? placement.fullSamples / placement.samples : 0,
    freeSlotShareElsewhere: placement.capacityElsewhere > 0 ? placement.freeElsewhere / placement.capacityElsewhere : 0,
  };
  const imbalanced =
    atDeadline.connectedFraction >= o.connectedThreshold &&
    loops.fullRouterShare >= IMBALANCE_FULL_SHARE &&
    loops.freeSlotShareElsewhere >= IMBALANCE_FREE_ELSEWHERE;
  // the mechanisms that hold slots come first (their share is direct evidence), then restarts; an
  // imbalance before retries: calls sent to the full router time out and are retried, so an imbalance
  // raises the traffic too, but no retry keeps that router full — its pinned sockets do, retries or not
  const dominantLoop: SustainingLoop =
    recoveredAtMs !== undefined
      ? 'none'
      : loops.abandonedSlotShare >= 0.1
        ? 'abandoned-acquires'
        : loops.staleSlotShare >= 0.1
          ? 'stale-connections'
          : loops.restartsPerDelegate >= 0.5
            ? 'restarts'
            : imbalanced
              ? 'imbalance'
              : loops.retryAmplification >= RETRY_AMPLIFICATION_AT_LEAST
                ? 'retries'
                : 'unexplained';

  let verdict: VerdictKind;
  let control: Verdict['control'];
  if (recoveredAtMs !== undefined) verdict = 'recovered';
  else if (atDeadline.connectedTrendPerMin >= o.slowTrendPerMin) verdict = 'slow';
  else {
    // the configuration the timeline leaves behind (model: settledConfiguration): the last router pool rolled out or
    // reconfigured, the replicas and autoscaler limits scaled to, an admission limit left in force; no rollout or fault
    const quiet = settledConfiguration(p);
    quiet.durationMs = endMs;
    let cseries: Series[];
    if (controls !== undefined) cseries = controls.seriesTo(quiet, seed, sim.engine, endMs);
    else {
      const c = buildPlatform(quiet, seed, { engine: sim.engine });
      c.sim.runUntil(endMs);
      cseries = c.sim.metrics.series();
    }
    // the same recovery conditions, over the control run's last hold window
    const cs = seriesByName(cseries, 'delegates.connected');
    const from = endMs - o.holdMs;
    const fraction = windowMin({ timesMs: cs.timesMs, values: cs.values.map((v) => v / delegates) }, from, endMs + 1);
    const cGoodput = goodputOf(cseries)(from, endMs);
    const cTimeoutsPerMin = ratePerSec(seriesByName(cseries, 'router.acquire.timeouts'), from, endMs) * 60;
    const healthy =
      fraction >= o.connectedThreshold &&
      cGoodput >= (1 - o.goodputTolerance) * baseline.goodput &&
      cTimeoutsPerMin <= o.acquireTimeoutsPerMinTolerance;
    control = { healthy, connectedFraction: fraction, goodput: cGoodput, acquireTimeoutsPerMin: cTimeoutsPerMin };
    verdict = control.healthy ? 'metastable' : 'overloaded';
  }

  const stormStartMs = stormStartOf(connected, triggerAtMs);
  const timeToRecoverFromStormSec =
    stormStartMs === undefined || recoveredAtMs === undefined ? undefined : Math.max(0, (recoveredAtMs - stormStartMs) / 1000);
  // severity, over the judged series from the trigger on (gauges; a halved series holds means of neighbouring samples)
  const extreme = (sampled: Sampled, fromMs: number, pick: (a: number, b: number) => number, start: number) => {
    let m = start;
    for (let i = 0; i < sampled.values.length; i++) if (sampled.timesMs[i]! >= fromMs) m = pick(m, sampled.values[i]!);
    return m;
  };
  const replicas = seriesByName(series, 'router.replicas');
  const before = replicas.timesMs.findLastIndex((t) => t < triggerAtMs);
  const replicasBefore = before >= 0 ? replicas.values[before]! : p.router.replicas;
  // after the rollouts ended: no surge pods, so any pod beyond those before the trigger is the autoscaler's
  const replicasAfter = extreme(replicas, triggerEndMs, Math.max, replicasBefore);
  const severity: Severity = {
    minConnectedFraction: extreme(connected, triggerAtMs, Math.min, 1),
    peakPendingAcquires: Math.round(extreme(seriesByName(series, 'router.pending'), triggerAtMs, Math.max, 0)),
    routersAdded: Math.max(0, Math.round(replicasAfter - replicasBefore)),
  };

  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  // where the slots were free, when one router stayed full: "router-r2-4 had no free slot for 14.8 of the 15.0 min …"
  const others = Math.round(placement.routersElsewhere);
  const placementText =
    placement.fullRouter !== undefined && loops.fullRouterShare >= IMBALANCE_FULL_SHARE
      ? `; ${placement.fullRouter} had no free slot for ${((placement.fullSamples * interval) / 60_000).toFixed(1)} of the ${((placement.samples * interval) / 60_000).toFixed(1)} min from t₁ to the deadline while the other ${others} ready router${others === 1 ? '' : 's'} had ${Math.round(placement.freeElsewhere)} of ${Math.round(placement.capacityElsewhere)} slots free`
      : '';
  // a moment of the run reads as "minute 27.0", never "27.0 min", which reads like a duration
  const minute = (ms: number) => `minute ${(ms / 60_000).toFixed(1)}`;
  const evidence =
    verdict === 'recovered'
      ? `recovered at ${minute(recoveredAtMs!)} (${stormStartMs === undefined ? `no storm: connected stayed at or above ${pct(STORM_CONNECTED_FRACTION_BELOW)}; ` : `${timeToRecoverFromStormSec!.toFixed(0)} s after the storm began at ${minute(stormStartMs)}, `}${((recoveredAtMs! - triggerAtMs) / 1000).toFixed(0)} s after the trigger), before the deadline at ${minute(deadlineMs)}: connected ≥ ${pct(o.connectedThreshold)} for ${(o.holdMs / 60_000).toFixed(1)} min, goodput ≥ ${pct(1 - o.goodputTolerance)} of the baseline's ${pct(baseline.goodput)} of tasks acquired within the SLA, acquire timeouts ≈ 0`
      : verdict === 'slow'
        ? `not recovered at the deadline, ${minute(deadlineMs)} of the run, but rising ${pct(atDeadline.connectedTrendPerMin)}/min (connected ${pct(atDeadline.connectedFraction)})`
        : `not recovered at the deadline, ${minute(deadlineMs)} of the run: connected ${pct(atDeadline.connectedFraction)}, trend ${pct(atDeadline.connectedTrendPerMin)}/min, ` +
          `${atDeadline.acquireTimeoutsPerMin.toFixed(0)} acquire timeouts/min, ${atDeadline.attemptsPerSec.toFixed(1)} socket opens/s and ${atDeadline.restCallsPerSec.toFixed(1)} REST calls/s through the routers (baseline ${baseline.attemptsPerSec.toFixed(2)}/s and ${baseline.restCallsPerSec.toFixed(1)}/s, ×${loops.retryAmplification.toFixed(1)}), ` +
          `goodput ${pct(atDeadline.goodput)} of tasks (baseline ${pct(baseline.goodput)}); ` +
          `${pct(loops.abandonedSlotShare)} of router slots held by sockets of clients that left, ${pct(loops.staleSlotShare)} stale, ` +
          `${loops.restartsPerDelegate.toFixed(2)} restarts per delegate${placementText}; the same final configuration from a quiet start ` +
          `${control!.healthy ? `is healthy (${pct(control!.connectedFraction)} connected, goodput ${pct(control!.goodput)}): ${stormStartMs === undefined ? 'what the trigger left' : 'the storm'} sustains itself (${dominantLoop})` : `is not healthy either (${pct(control!.connectedFraction)} connected, goodput ${pct(control!.goodput)}, ${control!.acquireTimeoutsPerMin.toFixed(0)} acquire timeouts/min): under-provisioned, not metastable`}`;

  return {
    verdict,
    seed,
    engine: sim.engine,
    traceHash: sim.trace.hash,
    triggerAtMs,
    triggerEndMs,
    deadlineMs,
    recoveredAtMs,
    timeToRecoverSec: recoveredAtMs === undefined ? undefined : (recoveredAtMs - triggerAtMs) / 1000,
    storm: stormStartMs !== undefined,
    stormStartMs,
    timeToRecoverFromStormSec,
    severity,
    baseline,
    atDeadline,
    dominantLoop,
    loops,
    control,
    evidence,
  };
}
