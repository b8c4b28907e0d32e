/**
 * The text of `stampede run`: the resolved settings in one line with the
 * timeline below it, and the summary after the run (sparkline, storm and
 * recovery times, impact, conservation, rollout log, trace hash, replay).
 * Pure functions of their inputs, so they can be tested on a fixed summary.
 */
import type { EngineName } from '@stampede/kernel';
import { type PlatformParams, type PoolParams, type RunSummary, STORM_CONNECTED_FRACTION_BELOW, type TimelineEvent } from '@stampede/model';
import { DEFAULT_ENGINE, engineArg } from './args.ts';
import { type Colors, plain } from './colors.ts';
import { hasUnsafeText, safeText } from './safe-text.ts';
import { perMinuteMinimum, sparkline } from './sparkline.ts';

const MIN = 60_000;

/** Virtual time as m:ss (minutes may exceed 59): 10:00, 52:30, 75:00. */
export function fmtClock(ms: number): string {
  const totalSec = Math.round(ms / 1000);
  return `${Math.floor(totalSec / 60)}:${String(totalSec % 60).padStart(2, '0')}`;
}

/** A duration in seconds: "45 s", "4 min", "42 min 30 s". */
export function fmtDuration(sec: number): string {
  const s = Math.round(sec);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
}

export function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? fmtDuration(ms / 1000) : `${ms} ms`;
}

/**
 * The oracle's (or a run's) time to recover as the tables print it: measured from the storm's start, "no storm"
 * when the fleet never fell below STORM_CONNECTED_FRACTION_BELOW, `notRecovered` when it did not recover.
 */
export function fmtTimeToRecover(
  v: { storm: boolean; timeToRecoverFromStormSec: number | undefined | null; timeToRecoverSec: number | undefined | null },
  notRecovered = 'not recovered',
): string {
  if (v.timeToRecoverSec === undefined || v.timeToRecoverSec === null) return notRecovered;
  if (!v.storm) return 'no storm';
  return v.timeToRecoverFromStormSec === undefined || v.timeToRecoverFromStormSec === null
    ? notRecovered
    : fmtDuration(v.timeToRecoverFromStormSec);
}

/** A fraction as a percentage with one decimal: 0.1234 → "12.3%". */
export function fmtPct(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** "1 manager", "6 managers". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Quotes a shell argument only when it needs it. */
export function shellArg(s: string): string {
  // control characters: bash's $'…' quoting, whose \xHH escapes are safeText's (the command still pastes as it was)
  if (hasUnsafeText(s)) return `$'${safeText(s.replace(/[\\']/g, '\\$&'))}'`;
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`;
}

/** The command that reruns exactly this run; `--engine` only when not the default engine. */
export function replayCommand(file: string, seed: number, engine?: EngineName): string {
  return `stampede run ${shellArg(file)} --seed ${seed}${engineArg(engine)}`;
}

export function describePool(pool: PoolParams): string {
  // an elastic pool has no limit: its maxConnections only matters to a fixed pool a rollout brings
  const parts: string[] = [pool.mode];
  if (pool.mode === 'fixed') {
    parts.push(
      `maxConnections ${pool.maxConnections}`,
      `pending ≤ ${pool.pendingAcquireMaxCount}`,
      `acquire timeout ${fmtMs(pool.pendingAcquireTimeoutMs)}`,
    );
    if (pool.cancelAbandonedAcquires) parts.push('abandoned acquires cancelled');
  }
  return parts.join(', ');
}

function describeRouters(params: PlatformParams): string {
  const a = params.router.autoscaling;
  const hpa = a.enabled && a.maxReplicas !== a.minReplicas ? `, autoscaling ${a.minReplicas}–${a.maxReplicas}` : '';
  return `${plural(params.router.replicas, 'router')} (${describePool(params.router.pool)}${hpa})`;
}

/** One timeline event, given the router pool in force before it. */
export function describeEvent(e: TimelineEvent, poolBefore: PoolParams): string {
  switch (e.kind) {
    case 'rollout':
      return e.pool === undefined ? `rollout ${e.target}` : `rollout ${e.target} → ${describePool({ ...poolBefore, ...e.pool })}`;
    case 'rollback':
      return `rollback ${e.target}`;
    case 'kill-pod':
      return `kill ${plural(e.count, `${e.target} pod`)}`;
    case 'partition':
      return `network partition for ${fmtMs(e.durationMs)}`;
    case 'latency-spike':
      return `latency +${e.extraLatencyMs} ms for ${fmtMs(e.durationMs)}`;
    case 'load-spike':
      return `load ×${e.factor} for ${fmtMs(e.durationMs)}`;
  }
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
    if (e.kind === 'rollout' && e.target === 'router' && e.pool !== undefined) pool = { ...pool, ...e.pool };
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
