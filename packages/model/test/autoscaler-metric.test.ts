/**
 * The router autoscaler's metric (router.autoscaling.metric): `cpu` scales on work done, `poolUtilization` on occupied
 * slots of fixed pools; both leave terminating pods out, and a topology whose pools could never report pool
 * utilisation is refused.
 */
import { describe, expect, it } from 'vitest';
import type { PlatformParams } from '../src/params.ts';
import { buildPlatform } from '../src/platform.ts';
import { ACTION_ITEMS } from '../src/scenarios.ts';
import { loadTopologyText, TopologyError } from '../src/topology/index.ts';

const MIN = 60_000;

function issuesOf(yaml: string): { path: string; message: string }[] {
  try {
    loadTopologyText(yaml, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(TopologyError);
    return (err as TopologyError).issues.map(({ path, message }) => ({ path, message }));
  }
  return [];
}

describe('router.autoscaling.metric in a topology', () => {
  it('refuses poolUtilization where every router pool is elastic, naming the field and the ways out', () => {
    expect(issuesOf('router: { autoscaling: { metric: poolUtilization, maxReplicas: 8 } }')).toEqual([
      {
        path: 'router.autoscaling.metric',
        message:
          'expected a metric the router pools report: router.pool.mode is elastic (the default) and no timeline rollout sets pool mode: fixed, so poolUtilization is 0 on every router pod and the autoscaler could never scale up; write metric: cpu, make a router pool fixed (router.pool.mode: fixed, or a rollout with pool: { mode: fixed }), or set router.autoscaling.enabled: false, got "poolUtilization"',
      },
    ]);
    expect(issuesOf('router: { pool: { mode: elastic }, autoscaling: { metric: poolUtilization, maxReplicas: 8 } }')[0]?.message).toMatch(
      /^expected a metric the router pools report: router.pool.mode is elastic and no timeline rollout/,
    );
  });

  it('accepts poolUtilization with a fixed pool, a rollout to one, autoscaling off or unable to scale (min = max); and cpu anywhere', () => {
    expect(issuesOf('router: { autoscaling: { metric: poolUtilization, minReplicas: 4, maxReplicas: 4 } }')).toEqual([]);
    expect(issuesOf('router: { pool: { mode: fixed }, autoscaling: { metric: poolUtilization } }')).toEqual([]);
    expect(
      issuesOf('router: { autoscaling: { metric: poolUtilization } }\ntimeline: [{ at: 10m, rollout: router, pool: { mode: fixed } }]'),
    ).toEqual([]);
    expect(issuesOf('router: { autoscaling: { metric: poolUtilization, enabled: false } }')).toEqual([]);
    expect(issuesOf('router: { autoscaling: { metric: cpu } }')).toEqual([]);
    expect(loadTopologyText('name: t', 't.yaml').router.autoscaling.metric).toBe('cpu');
  });

  it('names the choices of a misspelt metric', () => {
    expect(issuesOf('router: { autoscaling: { metric: CPU } }')[0]?.message).toMatch(/one of "cpu" or "poolUtilization", got "CPU"/);
  });
});

/** Action item 5 (routers may grow to 12) at 200 delegates, for 25 minutes: the storm starts at 10 min. */
function action5(metric: 'cpu' | 'poolUtilization'): PlatformParams {
  const p = ACTION_ITEMS[4]!.apply({ delegates: 200 });
  p.router.autoscaling.metric = metric;
  p.durationMs = 25 * MIN;
  return p;
}

/** Runs minute by minute, returning what the autoscaler asked for and the pods it measured each minute. */
function watch(p: PlatformParams, seed = 1) {
  const platform = buildPlatform(p, seed);
  const minutes: { desired: number; measuredOutsideEndpoints: string[] }[] = [];
  for (let t = MIN; t <= p.durationMs; t += MIN) {
    platform.sim.runUntil(t);
    const inEndpoints = new Set(platform.state.readyRouters);
    minutes.push({
      // what the autoscaler asked for: the spec.replicas it wrote (nothing else scales the routers here)
      desired: platform.state.specReplicas.router,
      measuredOutsideEndpoints: [...platform.state.routerPools.keys()].filter((id) => !inEndpoints.has(id)),
    });
  }
  return minutes;
}

describe('the autoscaler metric in a run', () => {
  it('cpu: a router whose pool is full and whose acquires wait does no work, so the storm of action item 5 adds no router', () => {
    const minutes = watch(action5('cpu'));
    expect(Math.max(...minutes.map((m) => m.desired))).toBe(4);
  });

  it('poolUtilization: the same storm fills the fixed pools and the autoscaler adds routers', () => {
    const minutes = watch(action5('poolUtilization'));
    expect(Math.max(...minutes.slice(10).map((m) => m.desired))).toBeGreaterThan(4);
  });

  it('measures only pods in the Service endpoints: a terminating (draining) router is left out, as Kubernetes does', () => {
    // the router rollout at 10 min drains every old pod
    for (const metric of ['cpu', 'poolUtilization'] as const) {
      for (const m of watch(action5(metric))) expect(m.measuredOutsideEndpoints).toEqual([]);
    }
  });
});
