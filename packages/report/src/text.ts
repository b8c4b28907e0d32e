/**
 * The text both the terminal and the reports show: virtual times (`52:30`), durations (`42 min 30 s`), percentages,
 * the time to recover, timeline events and pools in words, and the replay command (a shell argument quoted only when
 * it needs it, control characters escaped).
 */
import type { EngineName } from '@stampede/kernel';
import type { PoolParams, TimelineEvent } from '@stampede/model';
import { hasUnsafeText, safeText } from './safe-text.ts';

/** What runs the actors' machines when a command does not say. */
export const DEFAULT_ENGINE: EngineName = 'compiled';

/** ` --engine NAME` for a replay command when `engine` is not the default, so the replay runs on the same engine; else ''. */
export function engineArg(engine: EngineName | undefined): string {
  return engine === undefined || engine === DEFAULT_ENGINE ? '' : ` --engine ${engine}`;
}

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
      acquireTimeoutText(pool.pendingAcquireTimeoutMs),
    );
    if (pool.cancelAbandonedAcquires) parts.push('abandoned acquires cancelled');
  }
  return parts.join(', ');
}

/** 0 is reactor-pool's Duration.ZERO: no limit, not a timeout of 0 s. */
function acquireTimeoutText(ms: number): string {
  return ms === 0 ? 'no acquire timeout' : `acquire timeout ${fmtMs(ms)}`;
}

/** Pool settings in words, only those given: "maxConnections 1118, acquire timeout 2 min". */
export function describePoolSettings(pool: Partial<PoolParams>): string {
  const parts: string[] = [];
  if (pool.mode !== undefined) parts.push(pool.mode);
  if (pool.maxConnections !== undefined) parts.push(`maxConnections ${pool.maxConnections}`);
  if (pool.pendingAcquireMaxCount !== undefined) parts.push(`pending ≤ ${pool.pendingAcquireMaxCount}`);
  if (pool.pendingAcquireTimeoutMs !== undefined) parts.push(acquireTimeoutText(pool.pendingAcquireTimeoutMs));
  if (pool.cancelAbandonedAcquires !== undefined)
    parts.push(`abandoned acquires ${pool.cancelAbandonedAcquires ? 'cancelled' : 'kept waiting'}`);
  if (pool.staleConnectionReleaseMs !== undefined) parts.push(`stale connections released after ${fmtMs(pool.staleConnectionReleaseMs)}`);
  if (pool.connectionSetupMs !== undefined) parts.push(`connection setup ${fmtMs(pool.connectionSetupMs)}`);
  if (pool.maxIdleTimeMs !== undefined) parts.push(`max idle time ${fmtMs(pool.maxIdleTimeMs)}`);
  return parts.join(', ');
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
    case 'scale': {
      const limits = [
        ...(e.minReplicas !== undefined ? [`minReplicas ${e.minReplicas}`] : []),
        ...(e.maxReplicas !== undefined ? [`maxReplicas ${e.maxReplicas}`] : []),
      ];
      const hpa = limits.length > 0 ? `autoscaler ${limits.join(', ')}` : '';
      if (e.replicas === undefined) return `scale ${e.target}: ${hpa}`;
      return `scale ${e.target} to ${plural(e.replicas, 'pod')}${hpa === '' ? '' : `, ${hpa}`}`;
    }
    case 'reconfigure': {
      const elastic = poolBefore.mode === 'elastic' ? ' (the pool in force is elastic: kept for a fixed pool)' : '';
      return `reconfigure ${e.target} pool in place: ${describePoolSettings(e.pool)}${elastic}`;
    }
    case 'restart':
      return `restart ${e.target} (a rollout of the same pod template)`;
    case 'pause':
      return `pause ${e.target} rollout`;
    case 'resume':
      return `resume ${e.target} rollout`;
    case 'admit':
      return `admit at most ${e.reconnectsPerSecond} WebSocket opens/s at the edge ${e.durationMs === undefined ? 'until the end' : `for ${fmtMs(e.durationMs)}`}`;
  }
}
