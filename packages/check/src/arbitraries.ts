/**
 * fast-check arbitraries for rollout policies, and how a policy is applied to
 * a topology. They shrink toward the simple: one pod at a time (maxSurge 1,
 * maxUnavailable 0, counts before percents), both deployments together, no
 * minReadySeconds, no gap.
 */
import { type IntOrPercent, type PlatformParams, resolveRollingUpdate, type TimelineEvent } from '@stampede/model';
import fc from 'fast-check';

export interface DeploymentPolicy {
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  minReadySeconds: number;
}

export interface RolloutPolicy {
  router: DeploymentPolicy;
  manager: DeploymentPolicy;
  /** both at the trigger time, or one after the other */
  order: 'together' | 'router-first' | 'manager-first';
  /** time between the two rollouts when they are apart */
  gapMs: number;
}

const percent = (min: number) => fc.integer({ min, max: 100 }).map((p) => `${p}%` as IntOrPercent);

function deploymentPolicy(replicas: number): fc.Arbitrary<DeploymentPolicy> {
  const top = Math.max(1, replicas);
  return fc.record({
    // shrinks to 1 (a count before a percent)
    maxSurge: fc.oneof({ withCrossShrink: true }, fc.integer({ min: 1, max: top }), percent(1)),
    // shrinks to 0
    maxUnavailable: fc.oneof({ withCrossShrink: true }, fc.integer({ min: 0, max: top }), percent(0)),
    minReadySeconds: fc.oneof({ withCrossShrink: true }, fc.constant(0), fc.integer({ min: 0, max: 120 })),
  });
}

/** Rollout policies for a topology's router and manager deployments. */
export function rolloutPolicy(topology: PlatformParams): fc.Arbitrary<RolloutPolicy> {
  return fc.record({
    router: deploymentPolicy(topology.router.replicas),
    manager: deploymentPolicy(topology.manager.replicas),
    order: fc.constantFrom('together', 'router-first', 'manager-first'),
    gapMs: fc.oneof(
      { withCrossShrink: true },
      fc.constant(0),
      fc.integer({ min: 0, max: 20 }).map((m) => m * 60_000),
    ),
  });
}

/**
 * The topology with the policy applied: the deployments' strategies, and the
 * timeline's router and manager rollouts moved to the policy's order (the
 * first one at the topology's first rollout time). Other events stay.
 */
export function applyPolicy(topology: PlatformParams, policy: RolloutPolicy): PlatformParams {
  const p = structuredClone(topology);
  const strategy = (d: DeploymentPolicy) => ({
    maxSurge: d.maxSurge,
    maxUnavailable: d.maxUnavailable,
    minReadyMs: d.minReadySeconds * 1000,
  });
  p.router.strategy = strategy(policy.router);
  p.manager.strategy = strategy(policy.manager);
  const rollouts = p.timeline.filter((e) => e.kind === 'rollout');
  if (rollouts.length === 0) return p;
  const start = Math.min(...rollouts.map((e) => e.atMs));
  const at = (target: 'router' | 'manager') =>
    policy.order === 'together' || policy.order === `${target}-first` ? start : start + policy.gapMs;
  p.timeline = p.timeline.map((e): TimelineEvent => (e.kind === 'rollout' ? { ...e, atMs: at(e.target) } : e));
  const end = Math.max(...p.timeline.map((e) => e.atMs));
  if (end >= p.durationMs) p.durationMs = end + 30 * 60_000;
  return p;
}

/**
 * One line a person can read. Given the topology, percents also show the pods
 * they round to (Kubernetes rounding), e.g. "maxSurge 1% (1 pod)".
 */
export function describePolicy(policy: RolloutPolicy, topology?: PlatformParams): string {
  const d = (x: DeploymentPolicy, replicas: number | undefined) => {
    const limits = replicas === undefined ? undefined : resolveRollingUpdate(replicas, x);
    const pods = (v: IntOrPercent, n: number | undefined) =>
      typeof v === 'string' && n !== undefined ? `${v} (${n} pod${n === 1 ? '' : 's'})` : `${v}`;
    return `maxSurge ${pods(x.maxSurge, limits?.maxSurgePods)}, maxUnavailable ${pods(x.maxUnavailable, limits?.maxUnavailablePods)}${x.minReadySeconds ? `, minReadySeconds ${x.minReadySeconds}` : ''}`;
  };
  const order =
    policy.order === 'together' ? 'together' : `${policy.order.replace('-first', '')} first, the other ${policy.gapMs / 60_000} min later`;
  return `router: ${d(policy.router, topology?.router.replicas)}; manager: ${d(policy.manager, topology?.manager.replicas)}; ${order}`;
}
