/**
 * fast-check arbitraries for topologies: variations of a base topology in
 * fleet size, replicas, the pool the routers run after the trigger (mode,
 * limit as headroom over steady state, acquire timeout, cancellation),
 * delegate timeouts, reconnect policy and autoscaling limits.
 *
 * They shrink toward the simple: the smallest fleet, two pods of each kind,
 * the base's pool mode, the steady-state limit, fixed reconnects, no
 * autoscaling headroom.
 */

import { StampedeInputError } from '@stampede/kernel';
import { type PlatformParams, type PoolParams, type ReconnectPolicy, steadyStateLimit } from '@stampede/model';
import fc from 'fast-check';

export interface TopologyVariation {
  delegates: number;
  routerReplicas: number;
  managerReplicas: number;
  /** the pool the routers run after the trigger (the router rollout's new pool, or the router's pool without one) */
  pool: {
    mode: PoolParams['mode'];
    /** maxConnections = ceil(steadyStateLimit(delegates, routers) × headroom) */
    headroom: number;
    pendingAcquireTimeoutMs: number;
    cancelAbandonedAcquires: boolean;
  };
  socketOpenTimeoutMs: number;
  reconnect: ReconnectPolicy;
  /** router autoscaling limit: maxReplicas = routerReplicas × this */
  autoscalingMaxFactor: number;
}

export interface TopologyArbitraryOptions {
  /** @defaultValue 50 */
  minDelegates?: number;
  /** @defaultValue the base topology's fleet */
  maxDelegates?: number;
}

const SEC = 1000;

function reconnectPolicy(): fc.Arbitrary<ReconnectPolicy> {
  const seconds = (min: number, max: number) => fc.integer({ min, max }).map((s) => s * SEC);
  // withCrossShrink: any failing policy also tries the simplest kind, fixed, while shrinking
  return fc.oneof(
    { withCrossShrink: true },
    fc.record({ kind: fc.constant('fixed' as const), delayMs: seconds(1, 30) }),
    fc.record({ kind: fc.constant('fibonacci' as const), capMs: seconds(5, 300) }),
    fc.record({ kind: fc.constant('exponential-full-jitter' as const), baseMs: seconds(1, 5), capMs: seconds(10, 300) }),
    fc.record({ kind: fc.constant('exponential-decorrelated-jitter' as const), baseMs: seconds(1, 5), capMs: seconds(10, 300) }),
  );
}

/** The pool in effect after the trigger: the first router rollout's override on top of the router's pool. */
function poolAfterTrigger(base: PlatformParams): PoolParams {
  const rollout = base.timeline.find((e) => e.kind === 'rollout' && e.target === 'router');
  return rollout?.kind === 'rollout' && rollout.pool ? { ...base.router.pool, ...rollout.pool } : base.router.pool;
}

/** Variations of `base` (see TopologyVariation); apply one with `applyVariation`. */
export function topologyVariation(base: PlatformParams, options: TopologyArbitraryOptions = {}): fc.Arbitrary<TopologyVariation> {
  const minDelegates = options.minDelegates ?? 50;
  const maxDelegates = options.maxDelegates ?? base.delegates.count;
  if (!Number.isSafeInteger(minDelegates) || minDelegates < 1 || !Number.isSafeInteger(maxDelegates) || maxDelegates < minDelegates)
    throw new StampedeInputError(
      `topologyVariation: need whole numbers 1 ≤ minDelegates ≤ maxDelegates, got ${minDelegates} and ${maxDelegates}`,
    );
  const baseMode = poolAfterTrigger(base).mode;
  return fc.record({
    delegates: fc.integer({ min: minDelegates, max: maxDelegates }),
    routerReplicas: fc.integer({ min: 2, max: 8 }),
    managerReplicas: fc.integer({ min: 2, max: 8 }),
    pool: fc.record({
      mode: fc.constantFrom(baseMode, baseMode === 'fixed' ? 'elastic' : 'fixed'),
      headroom: fc.integer({ min: 10, max: 30 }).map((x) => x / 10),
      pendingAcquireTimeoutMs: fc.integer({ min: 1, max: 24 }).map((n) => n * 5 * SEC),
      cancelAbandonedAcquires: fc.boolean(),
    }),
    socketOpenTimeoutMs: fc.integer({ min: 5, max: 30 }).map((s) => s * SEC),
    reconnect: reconnectPolicy(),
    autoscalingMaxFactor: fc.integer({ min: 1, max: 4 }),
  });
}

/**
 * `base` with the variation applied. The workload scales with the fleet (as
 * `prod4Incident({ delegates })` does); the pool settings go where the base
 * sets its post-trigger pool (the router rollout's override, or the router).
 */
export function applyVariation(base: PlatformParams, v: TopologyVariation): PlatformParams {
  const p = structuredClone(base);
  const scale = v.delegates / base.delegates.count;
  p.delegates.count = v.delegates;
  p.workload.pipelinesPerMinute = base.workload.pipelinesPerMinute * scale;
  p.workload.apiRequestsPerSecond = base.workload.apiRequestsPerSecond * scale;
  p.router.replicas = v.routerReplicas;
  p.manager.replicas = v.managerReplicas;
  const limit = Math.ceil(steadyStateLimit(v.delegates, v.routerReplicas) * v.pool.headroom);
  const pool: Partial<PoolParams> = {
    mode: v.pool.mode,
    maxConnections: limit,
    pendingAcquireTimeoutMs: v.pool.pendingAcquireTimeoutMs,
    cancelAbandonedAcquires: v.pool.cancelAbandonedAcquires,
  };
  const i = p.timeline.findIndex((e) => e.kind === 'rollout' && e.target === 'router');
  const rollout = p.timeline[i];
  if (rollout?.kind === 'rollout' && rollout.pool) {
    rollout.pool = { ...rollout.pool, ...pool };
    p.router.pool.maxConnections = limit;
  } else p.router.pool = { ...p.router.pool, ...pool };
  p.delegates.socketOpenTimeoutMs = v.socketOpenTimeoutMs;
  p.delegates.reconnect = v.reconnect;
  const a = p.router.autoscaling;
  a.minReplicas = Math.max(1, Math.min(a.minReplicas, v.routerReplicas));
  a.maxReplicas = v.routerReplicas * v.autoscalingMaxFactor;
  return p;
}

/** Topologies around `base` (see `topologyVariation`), as resolved parameters. */
export function topology(base: PlatformParams, options: TopologyArbitraryOptions = {}): fc.Arbitrary<PlatformParams> {
  return topologyVariation(base, options).map((v) => applyVariation(base, v));
}

/** A variation in words. */
export function describeVariation(v: TopologyVariation): string {
  const r = v.reconnect;
  const reconnect =
    r.kind === 'fixed'
      ? `fixed ${r.delayMs / SEC} s reconnect`
      : r.kind === 'fibonacci'
        ? `fibonacci reconnect capped at ${r.capMs / SEC} s`
        : `${r.kind} reconnect (base ${r.baseMs / SEC} s, cap ${r.capMs / SEC} s)`;
  const pool =
    v.pool.mode === 'elastic'
      ? 'elastic pool'
      : `fixed pool at ${v.pool.headroom}× steady state, acquire timeout ${v.pool.pendingAcquireTimeoutMs / SEC} s${v.pool.cancelAbandonedAcquires ? ', abandoned acquires cancelled' : ''}`;
  return `${v.delegates} delegates, ${v.routerReplicas} routers (autoscaling to ${v.routerReplicas * v.autoscalingMaxFactor}), ${v.managerReplicas} managers, ${pool}, socket open timeout ${v.socketOpenTimeoutMs / SEC} s, ${reconnect}`;
}
