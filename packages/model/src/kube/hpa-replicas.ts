/**
 * The metric's proposal: the replica count one sync's measurement asks for, before stabilization and rate limits
 * (the controller's replica calculator).
 */

import type { HpaSpec, Step } from './hpa-spec.ts';

export function proposeFromMetric(
  spec: HpaSpec,
  tolerance: number,
  currentReplicas: number,
  readyReplicas: number,
  metricValue: number,
): Step {
  const ratio = metricValue / spec.targetValue;
  const detail = `metric ${round(metricValue)} vs target ${round(spec.targetValue)}`;
  if (Math.abs(1 - ratio) <= tolerance) {
    return { replicas: currentReplicas, reason: `within tolerance: ${detail} (tolerance ${round(tolerance)})` };
  }
  const notReady = currentReplicas - readyReplicas;
  if (ratio > 1 && notReady > 0) {
    // Pods still starting will take load soon; counted at zero, they may already cover the excess (the controller's
    // scaleUpWithUnready rebalancing). Without this, a high metric on few ready pods could even propose a scale-down.
    const ratioWithNotReady = (ratio * readyReplicas) / currentReplicas;
    if (ratioWithNotReady < 1 || Math.abs(1 - ratioWithNotReady) <= tolerance) {
      return { replicas: currentReplicas, reason: `waiting for ${notReady} not-ready replicas: ${detail}` };
    }
  }
  const replicas = ceilTolerant(ratio * readyReplicas);
  if (replicas > currentReplicas) return { replicas, reason: `scale up: ${detail}` };
  if (replicas < currentReplicas) return { replicas, reason: `scale down: ${detail}` };
  return { replicas, reason: `metric recommends current replicas: ${detail}` };
}

/**
 * ceil that forgives floating-point noise: 5 pods at 0.14 against a target of 0.1 is exactly 7, but computes as
 * 7.000000000000001, which a plain ceil would turn into an extra pod.
 */
function ceilTolerant(x: number): number {
  return Math.ceil(x - 1e-9);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
