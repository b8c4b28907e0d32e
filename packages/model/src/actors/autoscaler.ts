/**
 * Autoscaler: a Kubernetes HorizontalPodAutoscaler for the router deployment.
 *
 * Every sync period it samples the metric of each measurable router pod, reads the samples as they were `metricLagMs`
 * ago (metrics pipelines lag), groups the pods as the controller's groupPods does, asks the HPA rules (kube/hpa.ts:
 * Kubernetes' replica calculation, tolerance, scale-up limit, scale-down stabilisation, min/max) for a replica count,
 * and tells the router deployment. New router pods take new connections only: nothing moves existing sockets onto
 * them.
 *
 * Its current replica count is the deployment's spec.replicas as the API server holds it (`platform.specReplicas`, the
 * scale subresource), so a manual `kubectl scale` (a timeline `scale` event) is what its next sync starts from, as in
 * Kubernetes: outside [minReplicas, maxReplicas] it is brought straight back inside; within them the metric's proposal,
 * the stabilization windows and the rate limits decide, and the scale-down window holds only the autoscaler's own
 * recommendations, so a manual scale-up above what the metric recommends is undone at the next sync unless
 * minReplicas is raised with it. Its limits are the HPA's spec as the API server holds it (`platform.autoscalerLimits`:
 * the topology's, then any `kubectl patch hpa`, a `scale` event's minReplicas and maxReplicas), read at every sync.
 * A deployment scaled to 0 by hand is left alone (scaling disabled).
 *
 * The metric (`router.autoscaling.metric`), per pod, in the integers Kubernetes would see:
 * - `cpu` (a Resource metric, target averageUtilization): millicores used over the last sync period against the pod's
 *   CPU request. Two terms, both work the pod does: each request it handled (got an upstream connection and sent
 *   upstream: the UPGRADE or CALL it sent to a manager pod, counted by its pool as `handled`) costs
 *   `cpuPerRequestMs`; each delegate WebSocket it holds costs `cpuPerSocketPerSecondMs` per second (heartbeats and
 *   task offers it carries). Nothing else costs CPU here:
 *   an acquire waiting for a slot, timing out or rejected sends nothing upstream, so a pod whose pool is full and
 *   whose acquires wait is idle (waiting is not work); stale and abandoned slots carry no traffic. metrics-server
 *   reports nanocores and the HPA reads MilliValue(), which rounds up: usage is ceil(nanocores / 10⁶).
 * - `poolUtilization` (a Pods metric, target averageValue): occupied slots / maxConnections of a fixed pool, in whole
 *   milli-units (floor(occupied · 1000 / maxConnections), as an adapter truncating to a milli-quantity gives it). An
 *   elastic pool has no limit: against Reactor Netty's unbounded max it reports 0 (the topology validation refuses
 *   this metric when every router pool is elastic).
 *
 * The pods (groupPods): a router pod leaves `platform.routerPools` when it leaves the Service endpoints (router-pod.ts,
 * leaveEndpoints), so terminating (draining) pods are in no group, as Kubernetes ignores pods with a deletionTimestamp.
 * Of the pods in it, those with a sample `metricLagMs` old are ready; those without one (ready for less than the lag)
 * are missing; for `cpu`, a pod whose sample's window began before it was ready is unready (the controller's CPU
 * initialization rule); pods the deployment should have that are not ready yet are unready.
 */
import { portOf } from '@stampede/kernel';
import { setup } from 'xstate';
import { createHpaState, type HpaSpec, type HpaState, hpaReconcile } from '../kube/hpa.ts';
import type { AutoscalingParams } from '../params.ts';
import type { PlatformState } from '../platform-state.ts';

export interface AutoscalerInput {
  platform: PlatformState;
  /** the router deployment controller's actor id */
  target: string;
}

/** One pod's sample: its metric in whole milli-units, and whether its window began before the pod was ready. */
interface PodSample {
  milli: number;
  partial: boolean;
}

interface AutoscalerContext {
  platform: PlatformState;
  target: string;
  hpa: HpaState;
  /** [time ms, samples by pod], oldest first, for the metric lag */
  history: [number, Map<string, PodSample>][];
  /** pods sampled before, so that a pod's first sample is known to be partial */
  seen: Set<string>;
  /** time of the last sample; undefined before the first */
  lastSampleMs: number | undefined;
}

function sample(context: AutoscalerContext, a: AutoscalingParams, nowMs: number): Map<string, PodSample> {
  const samples = new Map<string, PodSample>();
  const windowMs = context.lastSampleMs === undefined ? 0 : nowMs - context.lastSampleMs;
  for (const [pod, pool] of context.platform.routerPools) {
    const partial = !context.seen.has(pod);
    context.seen.add(pod);
    if (a.metric === 'poolUtilization') {
      const milli = pool.params.mode === 'fixed' ? Math.floor((pool.occupied * 1000) / pool.params.maxConnections) : 0;
      samples.set(pod, { milli, partial });
    } else if (windowMs > 0) {
      // CPU seconds per second: the requests of the window, spread over it, plus the sockets held now.
      const cores = (pool.handled * a.cpuPerRequestMs) / windowMs + (pool.websocket * a.cpuPerSocketPerSecondMs) / 1000;
      const nanocores = Math.round(cores * 1e9);
      samples.set(pod, { milli: Math.floor((nanocores + 999_999) / 1_000_000), partial });
    }
  }
  for (const pod of context.seen) if (!context.platform.routerPools.has(pod)) context.seen.delete(pod);
  for (const pool of context.platform.routerPools.values()) pool.handled = 0;
  context.lastSampleMs = nowMs;
  return samples;
}

function hpaSpec(a: AutoscalingParams, limits: { minReplicas: number; maxReplicas: number }): HpaSpec {
  return {
    minReplicas: limits.minReplicas,
    maxReplicas: limits.maxReplicas,
    targetValue: a.targetUtilization,
    ...(a.metric === 'cpu' ? { targetType: 'Utilization' as const, podRequestMilli: a.cpuRequestMillicores } : {}),
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
  };
}

export const autoscaler = setup({
  types: { context: {} as AutoscalerContext, input: {} as AutoscalerInput, events: {} as { type: 'SYNC' } },
  actions: {
    sync: ({ context, self }) => {
      const p = context.platform;
      const a = p.params.router.autoscaling;
      portOf(self).send(self.id, { type: 'SYNC' }, { latencyMs: a.syncPeriodMs });
      const now = portOf(self).now;
      context.history.push([now, sample(context, a, now)]);
      while (context.history.length > 1 && context.history[1]![0] <= now - a.metricLagMs) context.history.shift();
      const lagged = context.history[0]![1];

      // groupPods over the pods that are ready and not terminating
      let ready = 0;
      let missing = 0;
      let partial = 0;
      let totalMilli = 0;
      for (const pod of p.routerPools.keys()) {
        const s = lagged.get(pod);
        if (s === undefined) missing++;
        else if (s.partial && a.metric === 'cpu') partial++;
        else {
          ready++;
          totalMilli += s.milli;
        }
      }
      const unit = a.metric === 'cpu' ? a.cpuRequestMillicores : 1000;
      // the scale subresource: spec.replicas as the last scaler (this autoscaler, or a manual scale) wrote it
      const current = p.specReplicas.router;
      const { desiredReplicas } = hpaReconcile(context.hpa, hpaSpec(a, p.autoscalerLimits), {
        nowMs: now,
        currentReplicas: current,
        readyReplicas: ready,
        // the average that hands the controller exactly the ready pods' total (HpaInput.metricValue)
        metricValue: ready === 0 ? 0 : totalMilli / (unit * ready),
        missingReplicas: missing,
        unreadyReplicas: partial + Math.max(0, current - p.routerPools.size),
      });
      if (desiredReplicas !== current) {
        p.specReplicas.router = desiredReplicas;
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
    seen: new Set(),
    lastSampleMs: undefined,
  }),
  entry: 'sync',
  on: { SYNC: { actions: 'sync' } },
});
