/**
 * Named scenarios built from the defaults: the Prod4 incident (router
 * upgrade to a fixed pool concurrent with a manager rolling update, manual
 * rollback 42 minutes later), its elastic baseline, and each postmortem
 * action item applied alone. The YAML files in examples/topologies say the
 * same thing for the CLI; a test keeps them equal.
 */
import { defaultParams } from './defaults.ts';
import type { PlatformParams, PoolParams } from './params.ts';

const MIN = 60_000;

export interface ScenarioOptions {
  /** fleet size; the fixed limit (steadyStateLimit), the manager replicas (6 per 2,000) and the workload follow it */
  delegates?: number;
  /** extra settings of the fixed pool the router upgrade rolls out */
  pool?: Partial<PoolParams>;
}

/**
 * maxConnections "sized for steady state": each router's expected share of the
 * sockets plus three standard deviations of how random load balancing spreads
 * them (binomial), so the fullest router still has room for REST calls. At
 * 2,000 delegates on 4 routers that is 500 + 3 × 19.4 → 559 (+12%).
 */
export function steadyStateLimit(delegates: number, routers: number): number {
  const share = delegates / routers;
  return Math.ceil(share + 3 * Math.sqrt(delegates * (1 / routers) * (1 - 1 / routers)));
}

/** The incident: fixed pool rolled out with the manager update at 10 min, rolled back at 52 min. */
export function prod4Incident(options: ScenarioOptions = {}): PlatformParams {
  const p: PlatformParams = defaultParams();
  p.name = 'prod4-incident';
  p.description = 'router upgrade to a fixed connection limit, concurrent manager rolling update, manual rollback 42 min later';
  p.durationMs = 75 * MIN;
  if (options.delegates !== undefined) {
    p.delegates.count = options.delegates;
    // the manager service is sized per fleet: 6 pods per 2,000 delegates, never fewer than 3 (registration
    // and upgrade capacity grow with it); the routers stay 4, their limit re-sized below
    p.manager.replicas = Math.max(3, Math.round((6 * options.delegates) / 2000));
    // and so is the work: pipelines and API calls per 2,000 delegates
    const scale = options.delegates / 2000;
    p.workload.pipelinesPerMinute *= scale;
    p.workload.apiRequestsPerSecond *= scale;
  }
  const limit = steadyStateLimit(p.delegates.count, p.router.replicas);
  p.router.pool.maxConnections = limit;
  p.timeline = [
    {
      atMs: 10 * MIN,
      kind: 'rollout',
      target: 'router',
      pool: { mode: 'fixed', maxConnections: limit, ...(options.pool ?? {}) },
      label: 'router upgrade: fixed connection limit',
    },
    { atMs: 10 * MIN, kind: 'rollout', target: 'manager', label: 'delegate-manager rolling update' },
    { atMs: 52 * MIN, kind: 'rollback', target: 'router', label: 'manual rollback of the router, 42 min in' },
  ];
  return p;
}

/** The same rollouts with the router staying elastic: the baseline that has always worked. */
export function prod4ElasticBaseline(options: Omit<ScenarioOptions, 'pool'> = {}): PlatformParams {
  const p = prod4Incident(options);
  p.name = 'prod4-elastic-baseline';
  p.description = 'the same concurrent rollouts with the elastic (unbounded) router pool';
  p.timeline[0] = {
    atMs: 10 * MIN,
    kind: 'rollout',
    target: 'router',
    pool: { mode: 'elastic' },
    label: 'router upgrade, pool stays elastic',
  };
  p.timeline.pop(); // nothing to roll back
  return p;
}

/** The postmortem's action items, each applied alone to the incident. */
export const ACTION_ITEMS: readonly { id: string; title: string; apply: (options?: ScenarioOptions) => PlatformParams }[] = [
  {
    id: 'action-1-pool-headroom',
    title: '1. more pool capacity: 2x steady state',
    apply: (o) => {
      const p = prod4Incident(o);
      const rollout = p.timeline[0]!;
      if (rollout.kind === 'rollout' && rollout.pool)
        rollout.pool.maxConnections = 2 * steadyStateLimit(p.delegates.count, p.router.replicas);
      return rename(p, 'action-1-pool-headroom', 'the incident with maxConnections at twice the steady-state size');
    },
  },
  {
    id: 'action-2-longer-acquire-timeout',
    title: '2. longer acquire timeout: 45 s -> 120 s',
    apply: (o) =>
      rename(
        prod4Incident({ ...o, pool: { ...o?.pool, pendingAcquireTimeoutMs: 120_000 } }),
        'action-2-longer-acquire-timeout',
        'the incident with pendingAcquireTimeout 120 s',
      ),
  },
  {
    id: 'action-3-one-pod-at-a-time',
    title: '3. rolling updates one pod at a time',
    apply: (o) => {
      const p = prod4Incident(o);
      p.router.strategy = { ...p.router.strategy, maxSurge: 1, maxUnavailable: 0 };
      p.manager.strategy = { ...p.manager.strategy, maxSurge: 1, maxUnavailable: 0 };
      return rename(p, 'action-3-one-pod-at-a-time', 'the incident with maxSurge 1, maxUnavailable 0 for both deployments');
    },
  },
  {
    id: 'action-4-independent-router-deploy',
    title: '4. router deployed alone, validation gate',
    apply: (o) => {
      const p = prod4Incident(o);
      p.validationGate = { ...p.validationGate, enabled: true };
      // the router goes first and alone; the main release follows 20 minutes later
      const manager = p.timeline[1]!;
      p.timeline[1] = { ...manager, atMs: 30 * MIN, label: 'delegate-manager rolling update (main release, 20 min after the router)' };
      return rename(
        p,
        'action-4-independent-router-deploy',
        'router rolled out alone with a 5 min validation gate; manager release 20 min later',
      );
    },
  },
  {
    id: 'action-5-higher-autoscaling-limits',
    title: '5. higher router autoscaling limits: max 12',
    apply: (o) => {
      const p = prod4Incident(o);
      p.router.autoscaling = { ...p.router.autoscaling, maxReplicas: 12 };
      return rename(p, 'action-5-higher-autoscaling-limits', 'the incident with router maxReplicas 12 (was 4)');
    },
  },
];

function rename(p: PlatformParams, name: string, description: string): PlatformParams {
  p.name = name;
  p.description = description;
  return p;
}

/** The incident with every postmortem action item applied together. */
export function prod4Mitigated(options: ScenarioOptions = {}): PlatformParams {
  let p = prod4Incident(options);
  const incidentRollout = prod4Incident(options).timeline[0]!;
  for (const item of ACTION_ITEMS) {
    const applied = item.apply(options);
    // each item changes one aspect: take the changed parts from each
    if (item.id === 'action-1-pool-headroom' || item.id === 'action-2-longer-acquire-timeout') {
      const rollout = p.timeline[0]!;
      const itemRollout = applied.timeline[0]!;
      if (rollout.kind === 'rollout' && itemRollout.kind === 'rollout' && incidentRollout.kind === 'rollout') {
        // only the keys the item changed: every item's pool restates the incident's limit, and merging
        // it whole would put action 2's copy of the old limit over action 1's doubled one
        const changed = Object.entries(itemRollout.pool ?? {}).filter(([k, v]) => incidentRollout.pool?.[k as keyof PoolParams] !== v);
        rollout.pool = { ...rollout.pool, ...Object.fromEntries(changed) };
      }
      if (item.id === 'action-1-pool-headroom' && itemRollout.kind === 'rollout')
        p.router.pool.maxConnections = itemRollout.pool!.maxConnections!;
    } else if (item.id === 'action-3-one-pod-at-a-time') {
      p.router.strategy = applied.router.strategy;
      p.manager.strategy = applied.manager.strategy;
    } else if (item.id === 'action-4-independent-router-deploy') {
      p.validationGate = applied.validationGate;
      p.timeline[1] = applied.timeline[1]!;
    } else if (item.id === 'action-5-higher-autoscaling-limits') {
      p.router.autoscaling = applied.router.autoscaling;
    }
  }
  p = rename(p, 'prod4-mitigated', 'the incident with all five postmortem action items applied');
  return p;
}
