/**
 * The metric's proposal: the replica count one sync's measurement asks for, before stabilization and rate limits.
 *
 * This is the controller's replica calculator (pkg/controller/podautoscaler/replica_calculator.go), followed line by
 * line: GetResourceReplicas for a Utilization target, calcPlainMetricReplicas (through GetMetricReplicas) for an
 * AverageValue one, after groupPods has sorted the pods (the caller does that: HpaInput's ready, missing and unready
 * counts; pods being deleted are in none of them).
 *
 * The arithmetic is Kubernetes' own. The controller never sees a float metric: a Pods metric arrives as Quantities read
 * in whole milli-units, a Resource metric as millicores against requests in millicores. So the ratio is computed from
 * integers exactly as metrics/utilization.go does it: GetMetricUsageRatio, usage = Σ milli / pods (integer division),
 * ratio = float64(usage) / float64(target milli); GetResourceUtilizationRatio, utilization = Σ usage · 100 / Σ requests
 * (integer division, a whole percent), ratio = float64(utilization) / float64(target percent). The replica count is then
 * a plain math.Ceil of ratio · pods, as in Go: JavaScript numbers are the same IEEE doubles as float64, so the result
 * matches to the pod, float artefacts included (the ceil(x − 1e-9) this file once used was a deviation: where the
 * integer metric makes a ratio such as 1.4 land a hair above a whole number of pods, Kubernetes adds that pod too).
 */

import type { HpaInput, ResolvedRules, Step } from './hpa-spec.ts';

/** The metric over a set of pods as the controller holds it: a total in milli-units over `pods` pods. */
interface Metrics {
  totalMilli: number;
  pods: number;
}

/**
 * GetResourceReplicas / calcPlainMetricReplicas, from the point where the pods are grouped and the metrics of the
 * ignored and unready pods removed. The caller has checked that at least one ready pod reports the metric.
 */
export function proposeFromMetric(rules: ResolvedRules, input: HpaInput): Step {
  const { currentReplicas, readyReplicas, metricValue } = input;
  const missing = input.missingReplicas ?? 0;
  const unready = input.unreadyReplicas ?? Math.max(0, currentReplicas - readyReplicas - missing);
  const utilization = rules.targetType === 'Utilization';
  const podUnit = utilization ? rules.podRequestMilli : 1000;
  // The ready pods' total as the metrics API reports it (see HpaInput.metricValue).
  const ready: Metrics = { totalMilli: Math.round(metricValue * podUnit * readyReplicas), pods: readyReplicas };
  const usage = usageOf(rules, ready);
  const usageRatio = usage / rules.target;
  const detail = describe(rules, usage, metricValue);
  const within = (ratio: number): boolean => isWithin(rules.tolerances, ratio);

  const scaleUpWithUnready = unready > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missing === 0) {
    if (within(usageRatio)) return { replicas: currentReplicas, reason: `within tolerance: ${detail}${describeTolerance(rules)}` };
    // if we don't have any unready or missing pods, we can calculate the new replica count now
    return verdict(Math.ceil(usageRatio * readyReplicas), currentReplicas, detail);
  }

  const rebalanced: Metrics = { ...ready };
  if (missing > 0) {
    if (usageRatio < 1.0) {
      // on a scale-down, missing pods count as using 100% of their request (or the target, when it is above 100%);
      // for a plain metric, exactly the target
      const perPod = utilization ? Math.floor((rules.podRequestMilli * Math.max(100, rules.target)) / 100) : rules.target;
      rebalanced.totalMilli += missing * perPod;
      rebalanced.pods += missing;
    } else if (usageRatio > 1.0) {
      // on a scale-up, missing pods count as using 0
      rebalanced.pods += missing;
    }
  }
  // on a scale-up, unready pods count as using 0
  if (scaleUpWithUnready) rebalanced.pods += unready;

  // re-run the usage calculation with the new numbers
  const newUsageRatio = usageOf(rules, rebalanced) / rules.target;
  const counted = [missing > 0 ? `${missing} replicas without a metric` : '', scaleUpWithUnready ? `${unready} not-ready replicas` : ''];
  const waiting = counted.filter((c) => c !== '').join(' and ');
  if (within(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    // the change would be too small, or the new usage ratio would change the scale direction
    return { replicas: currentReplicas, reason: `waiting for ${waiting}: ${detail}` };
  }
  // the number of replicas considered is however many pods factored into the calculation
  const newReplicas = Math.ceil(newUsageRatio * rebalanced.pods);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    // the number of pods considered would change the scale direction
    return { replicas: currentReplicas, reason: `waiting for ${waiting}: ${detail}` };
  }
  return verdict(newReplicas, currentReplicas, `${detail}, counting ${waiting}`);
}

/**
 * metrics/utilization.go: GetResourceUtilizationRatio's whole percent for a Utilization target (every pod has the same
 * request here), GetMetricUsageRatio's average milli-value otherwise; both integer divisions, as in Go.
 */
function usageOf(rules: ResolvedRules, m: Metrics): number {
  if (rules.targetType === 'Utilization') return Math.floor((m.totalMilli * 100) / (rules.podRequestMilli * m.pods));
  return Math.floor(m.totalMilli / m.pods);
}

/**
 * The tolerance check of Kubernetes 1.33 and later (replica_calculator.go, Tolerances.isWithin):
 * (1 − scaleDown) <= ratio <= (1 + scaleUp). Older releases checked math.Abs(1.0 − usageRatio) <= tolerance, which
 * differs exactly at the upper boundary: a utilisation of 66% against a target of 60% is the ratio 66/60, the same
 * double as 1 + 0.1, so it is within; 1 − 66/60 is −0.10000000000000009, whose absolute value is above 0.1.
 */
function isWithin(tolerances: ResolvedRules['tolerances'], usageRatio: number): boolean {
  return 1.0 - tolerances.scaleDown <= usageRatio && usageRatio <= 1.0 + tolerances.scaleUp;
}

function verdict(replicas: number, currentReplicas: number, detail: string): Step {
  if (replicas > currentReplicas) return { replicas, reason: `scale up: ${detail}` };
  if (replicas < currentReplicas) return { replicas, reason: `scale down: ${detail}` };
  return { replicas, reason: `metric recommends current replicas: ${detail}` };
}

function describe(rules: ResolvedRules, usage: number, metricValue: number): string {
  if (rules.targetType === 'Utilization') return `utilization ${usage}% vs target ${rules.target}%`;
  return `metric ${round(metricValue)} vs target ${rules.target / 1000}`;
}

function describeTolerance(rules: ResolvedRules): string {
  const { scaleUp, scaleDown } = rules.tolerances;
  return scaleUp === scaleDown ? ` (tolerance ${round(scaleUp)})` : ` (tolerance −${round(scaleDown)}/+${round(scaleUp)})`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
