/**
 * What a timeline does to the platform's configuration, read off the events without running them: the router pool in
 * force after each event, when each event's window ends, and the configuration the whole timeline leaves behind. The
 * reports, the oracle (its trigger window and its control run) and the property checks share these, so that a
 * `reconfigure` or a `scale` counts wherever a rollout's pool does.
 */
import type { PlatformParams, PoolParams, TimelineEvent } from './params.ts';

/** The timeline in the order it happens: by time, then as written (the order the platform schedules it in). */
export function inTimeOrder(timeline: readonly TimelineEvent[]): TimelineEvent[] {
  return timeline
    .map((e, i) => [e, i] as const)
    .sort((a, b) => a[0].atMs - b[0].atMs || a[1] - b[1])
    .map(([e]) => e);
}

/** The router pool in force after `event`, given the one before it: a router rollout's pool or a reconfigure's settings merged in. */
export function routerPoolAfter(pool: PoolParams, event: TimelineEvent): PoolParams {
  if (event.kind === 'rollout' && event.target === 'router' && event.pool !== undefined) return { ...pool, ...event.pool };
  if (event.kind === 'reconfigure') return { ...pool, ...event.pool };
  return pool;
}

/** Every router pool the timeline brings into force, in time order; the first is `router.pool`. */
export function routerPoolsOf(params: PlatformParams): PoolParams[] {
  const pools = [params.router.pool];
  for (const e of inTimeOrder(params.timeline)) {
    const next = routerPoolAfter(pools.at(-1)!, e);
    if (next !== pools.at(-1)) pools.push(next);
  }
  return pools;
}

/**
 * When an event's window ends: a partition, a latency or load spike, or an `admit` with a duration, when its duration
 * is over; every other event (an `admit` without a duration included: a limit left in force) when it happens.
 */
export function eventEndMs(event: TimelineEvent): number {
  return 'durationMs' in event && event.durationMs !== undefined ? event.atMs + event.durationMs : event.atMs;
}

/**
 * The configuration the timeline leaves behind, as a topology that starts with it: the last router pool (rollouts and
 * reconfigures), the replicas and autoscaler limits the last `scale` events set, and, when the last `admit` has no
 * duration (its limit is still in force at the end), that admission limit from time 0. Its timeline holds nothing
 * else: no rollout, fault or pause (a paused rollout's newest pool counts as rolled out).
 */
export function settledConfiguration(params: PlatformParams): PlatformParams {
  const p = structuredClone(params);
  p.router.pool = routerPoolsOf(params).at(-1)!;
  let admit: Extract<TimelineEvent, { kind: 'admit' }> | undefined;
  for (const e of inTimeOrder(params.timeline)) {
    if (e.kind === 'admit') admit = e;
    if (e.kind !== 'scale') continue;
    const deployment = e.target === 'router' ? p.router : p.manager;
    if (e.replicas !== undefined) deployment.replicas = e.replicas;
    if (e.target === 'router' && e.minReplicas !== undefined) p.router.autoscaling.minReplicas = e.minReplicas;
    if (e.target === 'router' && e.maxReplicas !== undefined) p.router.autoscaling.maxReplicas = e.maxReplicas;
  }
  p.timeline =
    admit !== undefined && admit.durationMs === undefined
      ? [{ atMs: 0, kind: 'admit', reconnectsPerSecond: admit.reconnectsPerSecond, label: admit.label }]
      : [];
  return p;
}
