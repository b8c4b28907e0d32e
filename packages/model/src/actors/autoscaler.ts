/**
 * Autoscaler: a Kubernetes HorizontalPodAutoscaler for the router deployment.
 *
 * Every sync period it reads the average pool utilisation (occupied slots /
 * maxConnections) of the router pods that hold a pool, ready ones and those
 * draining in their grace period (Kubernetes' HPA leaves terminating pods
 * out: a known difference), as it was `metricLagMs` ago (metrics pipelines lag), asks the HPA rules (kube/hpa.ts: tolerance, scale-up limit,
 * scale-down stabilisation, min/max) for a replica count, and tells the
 * router deployment. New router pods take new connections only: nothing
 * moves existing sockets onto them.
 */
import { portOf } from '@stampede/kernel';
import { setup } from 'xstate';
import { createHpaState, type HpaState, hpaReconcile } from '../kube/hpa.ts';
import type { PlatformState } from '../platform-state.ts';

export interface AutoscalerInput {
  platform: PlatformState;
  /** the router deployment controller's actor id */
  target: string;
}

interface AutoscalerContext {
  platform: PlatformState;
  target: string;
  hpa: HpaState;
  /** [time ms, utilisation] samples, oldest first, for the metric lag */
  history: [number, number][];
  desired: number;
}

function utilisation(platform: PlatformState): number {
  let sum = 0;
  let n = 0;
  for (const pool of platform.routerPools.values()) {
    sum += pool.occupied / pool.params.maxConnections;
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

export const autoscaler = setup({
  types: { context: {} as AutoscalerContext, input: {} as AutoscalerInput, events: {} as { type: 'SYNC' } },
  actions: {
    sync: ({ context, self }) => {
      const p = context.platform;
      const a = p.params.router.autoscaling;
      portOf(self).send(self.id, { type: 'SYNC' }, { latencyMs: a.syncPeriodMs });
      const now = p.sim.now;
      context.history.push([now, utilisation(p)]);
      while (context.history.length > 1 && context.history[1]![0] <= now - a.metricLagMs) context.history.shift();
      const lagged = context.history[0]![1];
      const { desiredReplicas } = hpaReconcile(
        context.hpa,
        {
          minReplicas: a.minReplicas,
          maxReplicas: a.maxReplicas,
          targetValue: a.targetUtilization,
          behavior: {
            scaleUp: {
              policies: [
                { type: 'Percent', value: a.scaleUpPercent, periodMs: a.scaleUpPeriodMs },
                { type: 'Pods', value: a.scaleUpPods, periodMs: a.scaleUpPeriodMs },
              ],
              selectPolicy: 'Max',
            },
            scaleDown: { stabilizationWindowMs: a.scaleDownStabilizationMs },
          },
        },
        { nowMs: now, currentReplicas: context.desired, readyReplicas: p.readyRouters.length, metricValue: lagged },
      );
      if (desiredReplicas !== context.desired) {
        context.desired = desiredReplicas;
        portOf(self).send(context.target, { type: 'SCALE', replicas: desiredReplicas }, { latencyMs: 0 });
      }
    },
  },
}).createMachine({
  id: 'autoscaler',
  context: ({ input }) => ({
    platform: input.platform,
    target: input.target,
    hpa: createHpaState(),
    history: [],
    desired: input.platform.params.router.replicas,
  }),
  entry: 'sync',
  on: { SYNC: { actions: 'sync' } },
});
