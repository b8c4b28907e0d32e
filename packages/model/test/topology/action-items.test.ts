import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_ITEMS, loadTopologyFile, prod4Mitigated, steadyStateLimit } from '../../src/index.ts';

const example = (name: string) => fileURLToPath(new URL(`../../../../examples/topologies/${name}`, import.meta.url));

describe('action-item topology files', () => {
  it.each(ACTION_ITEMS.map((item, i) => [item.id, i] as const))('%s.yaml resolves to the same parameters as the scenario', (id, i) => {
    expect(loadTopologyFile(example(`${id}.yaml`))).toStrictEqual(ACTION_ITEMS[i]!.apply());
  });
});

describe('all five action items together', () => {
  it('prod4-mitigated.yaml resolves to the same parameters as prod4Mitigated()', () => {
    expect(loadTopologyFile(example('prod4-mitigated.yaml'))).toStrictEqual(prod4Mitigated());
  });

  it('carry every item: doubled limit, 120 s acquire timeout, one pod at a time, router alone behind the gate, autoscaling to 12', () => {
    for (const delegates of [200, 2000]) {
      const p = prod4Mitigated({ delegates });
      const limit = steadyStateLimit(delegates, 4);
      expect(p.timeline[0]).toMatchObject({
        kind: 'rollout',
        target: 'router',
        pool: { mode: 'fixed', maxConnections: 2 * limit, pendingAcquireTimeoutMs: 120_000 },
      });
      expect(p.router.pool.maxConnections).toBe(2 * limit);
      expect([p.router.strategy, p.manager.strategy]).toMatchObject([
        { maxSurge: 1, maxUnavailable: 0 },
        { maxSurge: 1, maxUnavailable: 0 },
      ]);
      expect(p.validationGate.enabled).toBe(true);
      expect(p.timeline[1]).toMatchObject({ kind: 'rollout', target: 'manager', atMs: 30 * 60_000 });
      expect(p.router.autoscaling.maxReplicas).toBe(12);
    }
  });
});
