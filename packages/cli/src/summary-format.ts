/**
 * The text of `stampede run`: the resolved settings in one line with the
 * timeline below it, and the summary after the run (sparkline, storm and
 * recovery times, impact, conservation, rollout log, trace hash, replay).
 * Pure functions of their inputs, so they can be tested on a fixed summary.
 */
import type { EngineName } from '@stampede/kernel';
import { type PlatformParams, type RunSummary, routerPoolAfter, STORM_CONNECTED_FRACTION_BELOW } from '@stampede/model';
import {
  type Colors,
  DEFAULT_ENGINE,
  describeEvent,
  describePool,
  fmtClock,
  fmtDuration,
  fmtMs,
  fmtPct,
  plain,
  plural,
  replayCommand,
  safeText,
} from '@stampede/report';
import { perMinuteMinimum, sparkline } from './sparkline.ts';

const MIN = 60_000;

function describeRouters(params: PlatformParams): string {
  const a = params.router.autoscaling;
  const hpa = a.enabled && a.maxReplicas !== a.minReplicas ? `, autoscaling ${a.minReplicas}–${a.maxReplicas}` : '';
  return `${plural(params.router.replicas, 'router')} (${describePool(params.router.pool)}${hpa})`;
}

/** The settings line (seed, engine, fleet) and the timeline, as printed before a run. */
export function formatHeader(
  file: string,
  seed: number,
  params: PlatformParams,
  colors: Colors = plain,
  engine: EngineName = DEFAULT_ENGINE,
): string[] {
  const minutes = params.durationMs / MIN;
  const lines = [
    `${colors.bold(`stampede run ${safeText(file)}`)}: seed ${seed}, engine ${engine}, ${plural(params.delegates.count, 'delegate')}, ${describeRouters(params)}, ` +
      `${plural(params.manager.replicas, 'manager')}, ${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} simulated minutes`,
  ];
  const events = [...params.timeline].sort((a, b) => a.atMs - b.atMs);
  if (events.length === 0) lines.push('  (no timeline events: steady state only)');
  let pool = params.router.pool;
  for (const e of events) {
    const late = e.atMs >= params.durationMs ? colors.yellow(' (after the end of the run)') : '';
    lines.push(
      `  ${fmtClock(e.atMs).padStart(6)}  ${describeEvent(e, pool)}${e.label ? colors.dim(` — ${safeText(e.label)}`) : ''}${late}`,
    );
    pool = routerPoolAfter(pool, e);
  }
  const gate = params.validationGate;
  if (gate.enabled) {
    lines.push(
      `  validation gate: router rollouts are watched for ${fmtMs(gate.windowMs)} and rolled back below ${fmtPct(gate.minConnectedFraction)} connected`,
    );
  }
  return lines;
}

/** The times of the timeline's manual rollbacks, in order. */
export function rollbacksOf(params: PlatformParams): number[] {
  return params.timeline
    .filter((e) => e.kind === 'rollback')
    .map((e) => e.atMs)
    .sort((a, b) => a - b);
}

/** The line above the summary: what follows is the run as written (its manual rollbacks included), not the oracle's verdict. */
export function formatAsWrittenHeading(params: PlatformParams, colors: Colors = plain): string {
  const rollbacks = rollbacksOf(params);
  const what =
    rollbacks.length === 0
      ? 'the run as written'
      : `the run as written (manual rollback${rollbacks.length === 1 ? '' : 's'} at ${rollbacks.map(fmtClock).join(', ')} included)`;
  return colors.bold(`${what}:`);
}

export interface SummaryInput {
  summary: RunSummary;
  /** the connected fraction samples (RunResult.connected) */
  connected: { timesMs: ArrayLike<number>; values: ArrayLike<number> };
  /** the connected fraction that counts as recovered */
  recoveredFraction: number;
  /** the engine the run ran on, for the replay command. @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  /** the timeline's manual rollbacks (rollbacksOf): a recovery after one is said to come after it */
  rollbacksAtMs?: readonly number[] | undefined;
}

const label = (s: string) => s.padEnd(13);

/** The summary printed after a run; ends with the replay command. */
export function formatSummary(file: string, input: SummaryInput, colors: Colors = plain): string[] {
  const { summary: s, connected, recoveredFraction: full } = input;
  const perMinute = perMinuteMinimum(connected.timesMs, connected.values, s.durationMs);
  const never = colors.red('never');
  const at = (ms: number | undefined) => (ms === undefined ? never : fmtClock(ms));
  const lines = [
    `${label('connected')}${sparkline(perMinute, full, colors)}`,
    `${label('')}${colors.dim(`lowest per simulated minute, 0:00–${fmtClock(s.durationMs)}; █ = at least ${fmtPct(full)}`)}`,
  ];
  if (s.triggerAtMs === undefined) {
    lines.push(`${label('storm')}none: the topology has no timeline events`);
  } else if (s.stormStartMs === undefined) {
    lines.push(
      `${label('storm')}none: connected stayed at or above ${fmtPct(STORM_CONNECTED_FRACTION_BELOW)} after the trigger at ${fmtClock(s.triggerAtMs)} ` +
        `(a storm is below ${fmtPct(STORM_CONNECTED_FRACTION_BELOW)}; lowest ${fmtPct(s.minConnectedFraction)})`,
    );
  } else {
    lines.push(
      `${label('storm')}started ${fmtClock(s.stormStartMs)} (trigger at ${fmtClock(s.triggerAtMs)}), ` +
        `first recovered ${at(s.firstRecoveredAtMs)}, finally recovered ${at(s.recoveredAtMs)}`,
    );
  }
  // the last manual rollback before the recovery: the run as written recovered after it, not by itself
  const rolledBack = (input.rollbacksAtMs ?? []).filter((t) => s.recoveredAtMs !== undefined && t <= s.recoveredAtMs).at(-1);
  const afterRollback = rolledBack === undefined ? '' : ` (after the manual rollback at ${fmtClock(rolledBack)})`;
  // time to recover is measured from the storm's start; without a storm there is nothing to recover from
  const noStormBack =
    s.recoveredAtMs === undefined
      ? ''
      : `; back at or above ${fmtPct(full)} from ${fmtClock(s.recoveredAtMs)}` +
        (s.timeToRecoverSec === undefined ? '' : `, ${fmtDuration(s.timeToRecoverSec)} after the trigger (the rollout, not a storm)`);
  lines.push(
    !s.recovered
      ? `${label('recovered')}${colors.red('NO')}: below ${fmtPct(full)} connected at the end of the run (${fmtClock(s.durationMs)})`
      : s.stormStartMs === undefined
        ? `${label('recovered')}${colors.green('yes')}${s.triggerAtMs === undefined ? '' : ` (no storm${noStormBack})`}`
        : `${label('recovered')}${colors.green('yes')}` +
          (s.timeToRecoverFromStormSec === undefined ? '' : `, ${fmtDuration(s.timeToRecoverFromStormSec)} after the storm began`) +
          (s.timeToRecoverSec === undefined
            ? afterRollback
            : ` (${fmtDuration(s.timeToRecoverSec)} after the trigger${rolledBack === undefined ? '' : `; after the manual rollback at ${fmtClock(rolledBack)}`})`),
  );
  lines.push(`${label('lowest')}${fmtPct(s.minConnectedFraction)} connected`);
  const i = s.impact;
  lines.push(
    `${label('impact')}${i.blockedPipelines} blocked pipelines, ${i.failedSecretResolutions} failed secret resolutions, ` +
      `${i.apiErrors} API errors, ${i.tasksFailed} tasks failed, ${i.tasksExpired} tasks expired`,
  );
  if (s.halfOpenSockets > 0) {
    lines.push(`${label('half-open')}${s.halfOpenSockets} sockets still held by routers for delegates that closed them unseen`);
  }
  if (s.conservation.held) lines.push(`${label('conservation')}held`);
  else {
    lines.push(`${label('conservation')}${colors.red('VIOLATED')} (a model bug; please report it with the replay command):`);
    for (const v of s.conservation.violations) lines.push(`${label('')}- ${v}`);
  }
  lines.push(s.log.length === 0 ? `${label('rollout log')}(empty)` : 'rollout log');
  for (const [t, msg] of s.log) lines.push(`  ${fmtClock(t).padStart(6)}  ${safeText(msg)}`);
  lines.push(`${label('trace hash')}${s.traceHash} (${s.events} events)`);
  lines.push(`replay: ${replayCommand(file, s.seed, input.engine)}`);
  return lines;
}
