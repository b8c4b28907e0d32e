/**
 * Kubernetes HorizontalPodAutoscaler (autoscaling/v2) decision logic, as a
 * pure function over explicit state.
 *
 * The model's autoscaler actor calls `hpaReconcile` once per sync period
 * (15 s in Kubernetes) with the virtual time and what it measures; this module
 * reproduces what the real controller (pkg/controller/podautoscaler/horizontal.go,
 * `reconcileAutoscaler`, then `normalizeDesiredReplicas` or
 * `normalizeDesiredReplicasWithBehaviors`) would set spec.replicas to: the
 * metric's proposal (replica_calculator.go, in hpa-replicas.ts), then the
 * stabilization window, then the scaling policies' rate limits and the min/max
 * bounds. The controller keeps its recommendation and scale-event history in
 * memory; here that history lives in an `HpaState` owned by the caller, so
 * runs are reproducible and several autoscalers never share anything.
 *
 * Followed as of Kubernetes 1.33–1.35 (the Tolerances check of 1.33, per-direction
 * tolerances). Deliberate simplifications: one metric, of the Pods
 * (AverageValue) or Resource (Utilization) kind, no object/external/container
 * metrics; every pod has the same request; the caller groups the pods
 * (ready with a metric, missing a metric, unready; deleted ones in none).
 * Times are virtual and syncs exactly periodic, so a recommendation or an event
 * exactly one window or period old is at the boundary: each comparison is the
 * controller's own (After, Before), which decides those ties.
 *
 * Three files: hpa-spec.ts (the types, the Kubernetes defaults and the input
 * checks), hpa-replicas.ts (the metric's proposal), and this one (one sync:
 * bounds, stabilization, rate limits). Import from here.
 */

import { proposeFromMetric } from './hpa-replicas.ts';
import {
  checkInput,
  checkState,
  HPA_DEFAULT_DOWNSCALE_STABILIZATION_MS,
  type HpaDecision,
  type HpaInput,
  type HpaPolicy,
  type HpaScaleEvent,
  type HpaSpec,
  type HpaState,
  type ResolvedRules,
  resolveSpec,
  type Step,
} from './hpa-spec.ts';

export {
  createHpaState,
  HPA_DEFAULT_BEHAVIOR,
  HPA_DEFAULT_DOWNSCALE_STABILIZATION_MS,
  HPA_DEFAULT_TOLERANCE,
  type HpaBehavior,
  type HpaDecision,
  type HpaInput,
  type HpaPolicy,
  type HpaRecommendation,
  type HpaScaleEvent,
  type HpaScalingRules,
  type HpaSpec,
  type HpaState,
  type HpaTargetType,
} from './hpa-spec.ts';

/**
 * One sync of the HPA controller: returns the replica count to set on the target and records this sync's
 * recommendation (and the rescale, if any) in `state`. The caller is expected to apply `desiredReplicas`; the next
 * call's `currentReplicas` should reflect it.
 *
 * In order, as the controller does (reconcileAutoscaler):
 * 1. a target at 0 replicas is left alone (scaling disabled); one outside [minReplicas, maxReplicas] is brought
 *    straight back inside, without stabilization or rate limits;
 * 2. the metric proposes a count (hpa-replicas.ts: ceil(ratio · pods) from Kubernetes' integer metric, missing and
 *    unready pods counted as the controller counts them), or currentReplicas when the ratio is within the tolerance
 *    or no ready pod reports the metric;
 * 3. with spec.behavior (normalizeDesiredReplicasWithBehaviors): stabilization keeps the result between the lowest
 *    proposal of the scale-up window and the highest of the scale-down window (both including this one), starting
 *    from currentReplicas; the policies limit the change relative to the replica count at the start of each policy's
 *    period (reconstructed from recorded scale events); the result is clamped to [minReplicas, maxReplicas];
 * 4. without spec.behavior (normalizeDesiredReplicas): the highest proposal of the last 5 minutes (this one included),
 *    then at most max(2 × currentReplicas, 4) and at least minReplicas, within maxReplicas; no scale events are kept.
 *
 * The very first call also records currentReplicas as a recommendation, as the controller does for a newly seen HPA
 * (recordInitialRecommendation), so a freshly created autoscaler does not scale down before one scale-down window has
 * passed.
 */
export function hpaReconcile(state: HpaState, spec: HpaSpec, input: HpaInput): HpaDecision {
  const fn = 'hpaReconcile';
  checkState(fn, state);
  const rules = resolveSpec(fn, spec);
  checkInput(fn, input, state);
  const { nowMs, currentReplicas, readyReplicas } = input;
  const { minReplicas, maxReplicas } = spec;

  // recordInitialRecommendation: only for an HPA the controller has no history of
  if (state.lastNowMs === undefined && state.recommendations.length === 0) {
    state.recommendations.push({ atMs: nowMs, replicas: currentReplicas });
  }
  state.lastNowMs = nowMs;

  if (currentReplicas === 0) {
    // Kubernetes treats a target scaled to zero by hand as "autoscaling off" rather than scaling it back up.
    return { desiredReplicas: 0, reason: 'scaling disabled: target has 0 replicas' };
  }
  if (currentReplicas > maxReplicas) {
    return rescale(
      state,
      rules,
      nowMs,
      currentReplicas,
      maxReplicas,
      `current replicas ${currentReplicas} above maxReplicas ${maxReplicas}`,
    );
  }
  if (currentReplicas < minReplicas) {
    return rescale(
      state,
      rules,
      nowMs,
      currentReplicas,
      minReplicas,
      `current replicas ${currentReplicas} below minReplicas ${minReplicas}`,
    );
  }
  if (readyReplicas === 0) {
    // "did not receive metrics for targeted pods": the controller cannot compute a proposal and leaves the target (and
    // its history) untouched.
    return { desiredReplicas: currentReplicas, reason: 'no ready replicas to measure' };
  }

  const proposal = proposeFromMetric(rules, input);
  if (!rules.withBehavior) {
    const normalized = normalizeWithoutBehavior(state, spec, nowMs, currentReplicas, proposal);
    return rescale(state, rules, nowMs, currentReplicas, normalized.replicas, normalized.reason);
  }
  const stabilized = stabilize(state, rules, nowMs, currentReplicas, proposal.replicas);
  const limited = limitRate(state, rules, spec, nowMs, currentReplicas, stabilized.replicas);

  let reason = proposal.reason;
  if (stabilized.replicas !== proposal.replicas && limited.replicas === stabilized.replicas) reason = stabilized.reason;
  if (limited.replicas !== stabilized.replicas) reason = limited.reason;
  return rescale(state, rules, nowMs, currentReplicas, limited.replicas, reason);
}

/**
 * An HPA without spec.behavior (horizontal.go, normalizeDesiredReplicas): stabilizeRecommendation takes the highest
 * recommendation not older than the controller's downscale window (a recommendation exactly that old still counts: it
 * is not Before the cutoff), then convertDesiredReplicasWithRules bounds it by minReplicas and by
 * min(maxReplicas, calculateScaleUpLimit(currentReplicas)) = max(2 × currentReplicas, 4), with no period.
 */
function normalizeWithoutBehavior(state: HpaState, spec: HpaSpec, nowMs: number, currentReplicas: number, proposal: Step): Step {
  const cutoffMs = nowMs - HPA_DEFAULT_DOWNSCALE_STABILIZATION_MS;
  let stabilized = proposal.replicas;
  for (const rec of state.recommendations) if (rec.atMs >= cutoffMs) stabilized = Math.max(stabilized, rec.replicas);
  state.recommendations = state.recommendations.filter((rec) => rec.atMs >= cutoffMs);
  state.recommendations.push({ atMs: nowMs, replicas: proposal.replicas });

  // calculateScaleUpLimit: int32(math.Max(scaleUpLimitFactor*float64(currentReplicas), scaleUpLimitMinimum))
  const scaleUpLimit = Math.trunc(Math.max(2 * currentReplicas, 4));
  const maximumAllowed = Math.min(spec.maxReplicas, scaleUpLimit);
  if (stabilized < spec.minReplicas) return { replicas: spec.minReplicas, reason: `clamped to minReplicas ${spec.minReplicas}` };
  if (stabilized > maximumAllowed) {
    const reason =
      spec.maxReplicas > scaleUpLimit
        ? `scale up limited to max(2 × ${currentReplicas}, 4) = ${scaleUpLimit} (no behavior: calculateScaleUpLimit)`
        : `clamped to maxReplicas ${spec.maxReplicas}`;
    return { replicas: maximumAllowed, reason };
  }
  if (stabilized !== proposal.replicas) {
    const window = formatMs(HPA_DEFAULT_DOWNSCALE_STABILIZATION_MS);
    return { replicas: stabilized, reason: `stabilized: held at ${stabilized} by the highest recommendation in the last ${window}` };
  }
  return proposal;
}

/** stabilizeRecommendationWithBehaviors (horizontal.go); a recommendation counts in a window when it is After its cutoff. */
function stabilize(state: HpaState, rules: ResolvedRules, nowMs: number, currentReplicas: number, proposed: number): Step {
  const upCutoffMs = nowMs - rules.scaleUp.stabilizationWindowMs;
  const downCutoffMs = nowMs - rules.scaleDown.stabilizationWindowMs;
  let upBound = proposed;
  let downBound = proposed;
  for (const rec of state.recommendations) {
    if (rec.atMs > upCutoffMs) upBound = Math.min(upBound, rec.replicas);
    if (rec.atMs > downCutoffMs) downBound = Math.max(downBound, rec.replicas);
  }
  // Start from the current size and move only as far as every recent recommendation agrees.
  const replicas = Math.min(Math.max(currentReplicas, upBound), downBound);

  const oldestUsefulMs = Math.min(upCutoffMs, downCutoffMs);
  state.recommendations = state.recommendations.filter((rec) => rec.atMs > oldestUsefulMs);
  state.recommendations.push({ atMs: nowMs, replicas: proposed });

  const reason =
    proposed >= currentReplicas
      ? `stabilized: scale up held at ${replicas} by the lowest recommendation in the last ${formatMs(rules.scaleUp.stabilizationWindowMs)}`
      : `stabilized: scale down held at ${replicas} by the highest recommendation in the last ${formatMs(rules.scaleDown.stabilizationWindowMs)}`;
  return { replicas, reason };
}

/** convertDesiredReplicasWithBehaviorRate (horizontal.go). */
function limitRate(state: HpaState, rules: ResolvedRules, spec: HpaSpec, nowMs: number, currentReplicas: number, desired: number): Step {
  if (desired > currentReplicas) {
    const scaleUpLimit = Math.max(currentReplicas, scaleLimit(state, rules.scaleUp, nowMs, currentReplicas, 'up'));
    if (spec.maxReplicas <= scaleUpLimit) {
      if (desired > spec.maxReplicas) return { replicas: spec.maxReplicas, reason: `clamped to maxReplicas ${spec.maxReplicas}` };
    } else if (desired > scaleUpLimit) {
      return { replicas: scaleUpLimit, reason: limitReason(rules.scaleUp, 'up') };
    }
  } else if (desired < currentReplicas) {
    const scaleDownLimit = Math.min(currentReplicas, scaleLimit(state, rules.scaleDown, nowMs, currentReplicas, 'down'));
    if (spec.minReplicas >= scaleDownLimit) {
      if (desired < spec.minReplicas) return { replicas: spec.minReplicas, reason: `clamped to minReplicas ${spec.minReplicas}` };
    } else if (desired < scaleDownLimit) {
      return { replicas: scaleDownLimit, reason: limitReason(rules.scaleDown, 'down') };
    }
  }
  return { replicas: desired, reason: '' };
}

/**
 * The furthest the policies let the replica count go in `direction` now (calculateScaleUpLimitWithScalingRules,
 * calculateScaleDownLimitWithBehaviors; the period's changes as getReplicasChangePerPeriod counts them: events After
 * the cutoff).
 */
function scaleLimit(
  state: HpaState,
  rules: ResolvedRules['scaleUp'],
  nowMs: number,
  currentReplicas: number,
  direction: 'up' | 'down',
): number {
  if (rules.selectPolicy === 'Disabled') return currentReplicas;
  // 'Max' means the policy allowing the biggest change: the highest limit up, the lowest limit down.
  const pickHigher = (rules.selectPolicy === 'Max') === (direction === 'up');
  let result = pickHigher ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  for (const policy of rules.policies) {
    const cutoffMs = nowMs - policy.periodMs;
    const added = sumChanges(state.scaleUpEvents, cutoffMs);
    const removed = sumChanges(state.scaleDownEvents, cutoffMs);
    const periodStartReplicas = currentReplicas - added + removed;
    let proposed: number;
    // Kubernetes' own float arithmetic (horizontal.go, calculateScale{Up,Down}LimitWithBehaviors): up,
    // ceil(start · (1 + value/100)); down, int32(start · (1 − value/100)), which truncates. JavaScript numbers are the
    // same IEEE doubles as Go's float64, so the results match to the pod, float artefacts included:
    // 100 pods + 10% is 111, not 110 (100 · 1.1 = 110.00000000000001).
    if (direction === 'up') {
      proposed = policy.type === 'Pods' ? periodStartReplicas + policy.value : Math.ceil(periodStartReplicas * (1 + policy.value / 100));
    } else {
      proposed = policy.type === 'Pods' ? periodStartReplicas - policy.value : Math.trunc(periodStartReplicas * (1 - policy.value / 100));
    }
    result = pickHigher ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

function sumChanges(events: HpaScaleEvent[], cutoffMs: number): number {
  let total = 0;
  for (const event of events) if (event.atMs > cutoffMs) total += event.changePods;
  return total;
}

/**
 * Records the rescale (if any) for the policies (storeScaleEvent: not for an HPA without behavior, whose limits have no
 * period), drops events no policy period can see any more, and returns the decision.
 */
function rescale(
  state: HpaState,
  rules: ResolvedRules,
  nowMs: number,
  currentReplicas: number,
  desired: number,
  reason: string,
): HpaDecision {
  if (!rules.withBehavior) return { desiredReplicas: desired, reason };
  const longestPeriodMs = Math.max(...rules.scaleUp.policies.map((p) => p.periodMs), ...rules.scaleDown.policies.map((p) => p.periodMs));
  const cutoffMs = nowMs - longestPeriodMs;
  state.scaleUpEvents = state.scaleUpEvents.filter((e) => e.atMs > cutoffMs);
  state.scaleDownEvents = state.scaleDownEvents.filter((e) => e.atMs > cutoffMs);
  if (desired > currentReplicas) state.scaleUpEvents.push({ atMs: nowMs, changePods: desired - currentReplicas });
  if (desired < currentReplicas) state.scaleDownEvents.push({ atMs: nowMs, changePods: currentReplicas - desired });
  return { desiredReplicas: desired, reason };
}

function limitReason(rules: ResolvedRules['scaleUp'], direction: 'up' | 'down'): string {
  if (rules.selectPolicy === 'Disabled') return `scale ${direction} disabled (selectPolicy Disabled)`;
  const sign = direction === 'up' ? '+' : '-';
  const change = (p: HpaPolicy): string => `${sign}${p.value}${p.type === 'Percent' ? '%' : ' pods'}`;
  const first = rules.policies[0]!;
  const samePeriod = rules.policies.every((p) => p.periodMs === first.periodMs);
  let text: string;
  if (rules.policies.length === 1) text = `${change(first)}/${formatMs(first.periodMs)}`;
  else if (samePeriod) text = `${rules.selectPolicy.toLowerCase()}(${rules.policies.map(change).join(', ')})/${formatMs(first.periodMs)}`;
  else text = `${rules.selectPolicy.toLowerCase()}(${rules.policies.map((p) => `${change(p)}/${formatMs(p.periodMs)}`).join(', ')})`;
  return `scale ${direction} limited by policy ${text}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
