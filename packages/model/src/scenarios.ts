/**
 * Named scenarios built from the defaults: the Prod4 incident (router
 * upgrade to a fixed pool concurrent with a manager rolling update, manual
 * rollback 42 minutes later), its elastic baseline, and variants with the
 * sustaining switches turned off.
 */
import { DEFAULTS } from './defaults.ts';
import type { PlatformParams, PoolParams } from './params.ts';

const MIN = 60_000;

/** The incident: fixed pool rolled out with the manager update at 10 min, rolled back at 52 min. */
export function prod4Incident(
  overrides: { pool?: Partial<PoolParams>; delegates?: Partial<PlatformParams['delegates']> } = {},
): PlatformParams {
  const p: PlatformParams = structuredClone(DEFAULTS);
  p.name = 'prod4-incident';
  p.description = 'router upgrade to a fixed connection limit, concurrent manager rolling update, manual rollback 42 min later';
  p.durationMs = 75 * MIN;
  Object.assign(p.delegates, overrides.delegates ?? {});
  p.timeline = [
    {
      atMs: 10 * MIN,
      kind: 'rollout',
      target: 'router',
      pool: { mode: 'fixed', ...(overrides.pool ?? {}) },
      label: 'router upgrade: fixed connection limit',
    },
    { atMs: 10 * MIN, kind: 'rollout', target: 'manager', label: 'delegate-manager rolling update' },
    { atMs: 52 * MIN, kind: 'rollback', target: 'router', label: 'manual rollback of the router, 42 min in' },
  ];
  return p;
}

/** The same rollouts with the router staying elastic: the baseline that has always worked. */
export function prod4ElasticBaseline(): PlatformParams {
  const p = prod4Incident();
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
