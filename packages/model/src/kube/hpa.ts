/**
 * Kubernetes HorizontalPodAutoscaler (autoscaling/v2) decision logic, as a
 * pure function over explicit state.
 *
 * The model's autoscaler actor calls `hpaReconcile` once per sync period
 * (15 s in Kubernetes) with the virtual time and what it measures; this module
 * reproduces what the real controller (pkg/controller/podautoscaler,
 * `reconcileAutoscaler` and `normalizeDesiredReplicasWithBehaviors`) would set
 * spec.replicas to: the metric's proposal, then the stabilization window, then
 * the scaling policies' rate limits and the min/max bounds. The controller
 * keeps its recommendation and scale-event history in memory; here that
 * history lives in an `HpaState` owned by the caller, so runs are
 * reproducible and several autoscalers never share anything.
 *
 * Deliberate simplifications: one metric (an average per ready pod, compared
 * against `targetValue`), no container-resource/external metric kinds, and
 * pods without a metric (not ready) are treated like the controller's
 * "unready" pods: ignored when scaling down, counted at zero when scaling up.
 */

import { StampedeInputError } from '@stampede/kernel';
import { show } from './show.ts';

/** One rate limit: at most `value` pods (or `value` percent of the replicas at the period's start) per `periodMs`. */
export interface HpaPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodMs: number;
}

/** HPAScalingRules for one direction. Unset fields take the Kubernetes default for that direction, field by field. */
export interface HpaScalingRules {
  /** recommendations made within this window bound the decision (scale-up: their minimum, scale-down: their maximum) */
  stabilizationWindowMs?: number;
  /** rate limits; `selectPolicy` says which one applies when they disagree */
  policies?: HpaPolicy[];
  /** 'Max' allows the policy permitting the largest change, 'Min' the smallest, 'Disabled' forbids this direction */
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
}

export interface HpaBehavior {
  scaleUp?: HpaScalingRules;
  scaleDown?: HpaScalingRules;
}

export interface HpaSpec {
  minReplicas: number;
  maxReplicas: number;
  /** target average metric value per ready pod (e.g. 0.6 for 60% pool utilisation) */
  targetValue: number;
  /** relative deviation from the target ignored as noise; default `HPA_DEFAULT_TOLERANCE` (0.1) */
  tolerance?: number;
  behavior?: HpaBehavior;
}

/** A recommendation as the metric proposed it (before stabilization and limits), kept for the stabilization windows. */
export interface HpaRecommendation {
  atMs: number;
  replicas: number;
}

/** A rescale the controller performed, kept so that the policies can tell how many pods a period already added or removed. */
export interface HpaScaleEvent {
  atMs: number;
  changePods: number;
}

/**
 * Mutable controller state, created by `createHpaState()`; pass the same object to every `hpaReconcile` call of one
 * autoscaler. Entries too old to matter for any window or policy period are dropped as time advances.
 */
export interface HpaState {
  /** unstabilized recommendations, oldest first */
  recommendations: HpaRecommendation[];
  /** scale-ups performed (changePods > 0), oldest first */
  scaleUpEvents: HpaScaleEvent[];
  /** scale-downs performed (changePods > 0 pods removed), oldest first */
  scaleDownEvents: HpaScaleEvent[];
  /** nowMs of the previous reconcile; undefined before the first one */
  lastNowMs: number | undefined;
}

export interface HpaInput {
  /** virtual time of this sync */
  nowMs: number;
  /** the target's spec.replicas */
  currentReplicas: number;
  /** pods that are ready and report the metric */
  readyReplicas: number;
  /** the metric's average over the ready pods */
  metricValue: number;
}

export interface HpaDecision {
  /** the replica count to set on the target (equal to currentReplicas when nothing changes) */
  desiredReplicas: number;
  /** a short human explanation of what decided the value */
  reason: string;
}

/** The relative tolerance Kubernetes applies by default (--horizontal-pod-autoscaler-tolerance). */
export const HPA_DEFAULT_TOLERANCE = 0.1;

/**
 * The behavior Kubernetes applies when `spec.behavior` (or a field of it) is unset, from
 * pkg/apis/autoscaling/v2/defaults.go and the controller's --horizontal-pod-autoscaler-downscale-stabilization flag:
 * scale up by max(+100%, +4 pods) every 15 s without stabilization; scale down by up to 100% every 15 s, but only to the
 * highest recommendation of the last 5 minutes.
 */
export const HPA_DEFAULT_BEHAVIOR: Required<HpaBehavior> = deepFreeze({
  scaleUp: {
    stabilizationWindowMs: 0,
    policies: [
      { type: 'Percent', value: 100, periodMs: 15_000 },
      { type: 'Pods', value: 4, periodMs: 15_000 },
    ],
    selectPolicy: 'Max',
  },
  scaleDown: {
    stabilizationWindowMs: 300_000,
    policies: [{ type: 'Percent', value: 100, periodMs: 15_000 }],
    selectPolicy: 'Max',
  },
});

/** A fresh state for one autoscaler: no recommendations and no scale events yet. */
export function createHpaState(): HpaState {
  return { recommendations: [], scaleUpEvents: [], scaleDownEvents: [], lastNowMs: undefined };
}

/**
 * One sync of the HPA controller: returns the replica count to set on the target and records this sync's
 * recommendation (and the rescale, if any) in `state`. The caller is expected to apply `desiredReplicas`; the next
 * call's `currentReplicas` should reflect it.
 *
 * In order, as the controller does:
 * 1. a target at 0 replicas is left alone (scaling disabled); one outside [minReplicas, maxReplicas] is brought
 *    straight back inside, without stabilization or rate limits;
 * 2. the metric proposes ceil(readyReplicas · metricValue / targetValue), or currentReplicas when the ratio is within
 *    the tolerance or no pod is ready; when scaling up while some pods are not ready, those count as zero load, and no
 *    scale-up happens if that would not still call for one;
 * 3. stabilization: the result is kept between the lowest proposal of the scale-up window and the highest proposal
 *    of the scale-down window (both including this one), starting from currentReplicas;
 * 4. the policies limit the change relative to the replica count at the start of each policy's period (reconstructed
 *    from recorded scale events), and the result is clamped to [minReplicas, maxReplicas].
 *
 * The very first call also records currentReplicas as a recommendation, as the controller does for a newly seen HPA,
 * so a freshly created autoscaler does not scale down before one scale-down window has passed.
 */
export function hpaReconcile(state: HpaState, spec: HpaSpec, input: HpaInput): HpaDecision {
  const fn = 'hpaReconcile';
  checkState(fn, state);
  const rules = resolveSpec(fn, spec);
  checkInput(fn, input, state);
  const { nowMs, currentReplicas, readyReplicas, metricValue } = input;
  const { minReplicas, maxReplicas } = spec;

  if (state.lastNowMs === undefined) state.recommendations.push({ atMs: nowMs, replicas: currentReplicas });
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
    // The controller cannot compute a proposal without metrics and leaves the target (and its history) untouched.
    return { desiredReplicas: currentReplicas, reason: 'no ready replicas to measure' };
  }

  const proposal = proposeFromMetric(spec, rules.tolerance, currentReplicas, readyReplicas, metricValue);
  const stabilized = stabilize(state, rules, nowMs, currentReplicas, proposal.replicas);
  const limited = limitRate(state, rules, spec, nowMs, currentReplicas, stabilized.replicas);

  let reason = proposal.reason;
  if (stabilized.replicas !== proposal.replicas && limited.replicas === stabilized.replicas) reason = stabilized.reason;
  if (limited.replicas !== stabilized.replicas) reason = limited.reason;
  return rescale(state, rules, nowMs, currentReplicas, limited.replicas, reason);
}

interface ResolvedRules {
  scaleUp: Required<HpaScalingRules>;
  scaleDown: Required<HpaScalingRules>;
  tolerance: number;
}

interface Step {
  replicas: number;
  reason: string;
}

function proposeFromMetric(spec: HpaSpec, tolerance: number, currentReplicas: number, readyReplicas: number, metricValue: number): Step {
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

/** The furthest the policies let the replica count go in `direction` now (calculateScale{Up,Down}Limit...). */
function scaleLimit(
  state: HpaState,
  rules: Required<HpaScalingRules>,
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

/** Records the rescale (if any) for the policies, drops events no policy period can see any more, and returns the decision. */
function rescale(
  state: HpaState,
  rules: ResolvedRules,
  nowMs: number,
  currentReplicas: number,
  desired: number,
  reason: string,
): HpaDecision {
  const longestPeriodMs = Math.max(...rules.scaleUp.policies.map((p) => p.periodMs), ...rules.scaleDown.policies.map((p) => p.periodMs));
  const cutoffMs = nowMs - longestPeriodMs;
  state.scaleUpEvents = state.scaleUpEvents.filter((e) => e.atMs > cutoffMs);
  state.scaleDownEvents = state.scaleDownEvents.filter((e) => e.atMs > cutoffMs);
  if (desired > currentReplicas) state.scaleUpEvents.push({ atMs: nowMs, changePods: desired - currentReplicas });
  if (desired < currentReplicas) state.scaleDownEvents.push({ atMs: nowMs, changePods: currentReplicas - desired });
  return { desiredReplicas: desired, reason };
}

function limitReason(rules: Required<HpaScalingRules>, direction: 'up' | 'down'): string {
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

function resolveSpec(fn: string, spec: HpaSpec): ResolvedRules {
  if (spec === null || typeof spec !== 'object') {
    throw new StampedeInputError(
      `${fn}: spec must be an object { minReplicas, maxReplicas, targetValue, tolerance?, behavior? }, got ${show(spec)}`,
    );
  }
  if (!Number.isInteger(spec.minReplicas) || spec.minReplicas < 1) {
    throw new StampedeInputError(`${fn}: spec.minReplicas must be an integer >= 1, got ${show(spec.minReplicas)}`);
  }
  if (!Number.isInteger(spec.maxReplicas) || spec.maxReplicas < spec.minReplicas) {
    throw new StampedeInputError(
      `${fn}: spec.maxReplicas must be an integer >= spec.minReplicas (${spec.minReplicas}), got ${show(spec.maxReplicas)}; raise maxReplicas or lower minReplicas`,
    );
  }
  if (!isFiniteNumber(spec.targetValue) || spec.targetValue <= 0) {
    throw new StampedeInputError(`${fn}: spec.targetValue must be a finite number > 0 (e.g. 0.6 for 60%), got ${show(spec.targetValue)}`);
  }
  const tolerance = spec.tolerance ?? HPA_DEFAULT_TOLERANCE;
  if (!isFiniteNumber(tolerance) || tolerance < 0) {
    throw new StampedeInputError(
      `${fn}: spec.tolerance must be a finite number >= 0 (e.g. 0.1 for ±10%) or unset, got ${show(spec.tolerance)}`,
    );
  }
  const behavior = spec.behavior ?? {};
  if (behavior === null || typeof behavior !== 'object') {
    throw new StampedeInputError(`${fn}: spec.behavior must be an object { scaleUp?, scaleDown? } or unset, got ${show(spec.behavior)}`);
  }
  return {
    scaleUp: resolveRules(fn, 'spec.behavior.scaleUp', behavior.scaleUp, HPA_DEFAULT_BEHAVIOR.scaleUp),
    scaleDown: resolveRules(fn, 'spec.behavior.scaleDown', behavior.scaleDown, HPA_DEFAULT_BEHAVIOR.scaleDown),
    tolerance,
  };
}

/** Fills unset fields from the defaults one by one, like the API server's copyHPAScalingRules, and validates the result. */
function resolveRules(fn: string, path: string, rules: HpaScalingRules | undefined, defaults: HpaScalingRules): Required<HpaScalingRules> {
  if (rules !== undefined && (rules === null || typeof rules !== 'object')) {
    throw new StampedeInputError(
      `${fn}: ${path} must be an object { stabilizationWindowMs?, policies?, selectPolicy? } or unset, got ${show(rules)}`,
    );
  }
  const stabilizationWindowMs = rules?.stabilizationWindowMs ?? defaults.stabilizationWindowMs!;
  const policies = rules?.policies ?? defaults.policies!;
  const selectPolicy = rules?.selectPolicy ?? defaults.selectPolicy!;
  if (!isFiniteNumber(stabilizationWindowMs) || stabilizationWindowMs < 0) {
    throw new StampedeInputError(
      `${fn}: ${path}.stabilizationWindowMs must be a finite number >= 0 or unset, got ${show(stabilizationWindowMs)}`,
    );
  }
  if (selectPolicy !== 'Max' && selectPolicy !== 'Min' && selectPolicy !== 'Disabled') {
    throw new StampedeInputError(`${fn}: ${path}.selectPolicy must be "Max", "Min" or "Disabled", got ${show(selectPolicy)}`);
  }
  if (!Array.isArray(policies) || policies.length === 0) {
    throw new StampedeInputError(
      `${fn}: ${path}.policies must be a non-empty array (leave it unset for the defaults), got ${show(policies)}`,
    );
  }
  policies.forEach((policy, i) => {
    const at = `${path}.policies[${i}]`;
    if (policy === null || typeof policy !== 'object') {
      throw new StampedeInputError(`${fn}: ${at} must be an object { type, value, periodMs }, got ${show(policy)}`);
    }
    if (policy.type !== 'Pods' && policy.type !== 'Percent') {
      throw new StampedeInputError(`${fn}: ${at}.type must be "Pods" or "Percent", got ${show(policy.type)}`);
    }
    if (!Number.isInteger(policy.value) || policy.value <= 0) {
      throw new StampedeInputError(
        `${fn}: ${at}.value must be an integer > 0 (${policy.type === 'Pods' ? 'pods' : 'percent'}), got ${show(policy.value)}`,
      );
    }
    if (!isFiniteNumber(policy.periodMs) || policy.periodMs <= 0) {
      throw new StampedeInputError(`${fn}: ${at}.periodMs must be a finite number > 0 (e.g. 15000), got ${show(policy.periodMs)}`);
    }
  });
  return { stabilizationWindowMs, policies, selectPolicy };
}

function checkState(fn: string, state: HpaState): void {
  if (
    state === null ||
    typeof state !== 'object' ||
    !Array.isArray(state.recommendations) ||
    !Array.isArray(state.scaleUpEvents) ||
    !Array.isArray(state.scaleDownEvents)
  ) {
    throw new StampedeInputError(`${fn}: state must be an HpaState from createHpaState(), got ${show(state)}`);
  }
}

function checkInput(fn: string, input: HpaInput, state: HpaState): void {
  if (input === null || typeof input !== 'object') {
    throw new StampedeInputError(
      `${fn}: input must be an object { nowMs, currentReplicas, readyReplicas, metricValue }, got ${show(input)}`,
    );
  }
  if (!isFiniteNumber(input.nowMs)) throw new StampedeInputError(`${fn}: input.nowMs must be a finite number, got ${show(input.nowMs)}`);
  if (state.lastNowMs !== undefined && input.nowMs < state.lastNowMs) {
    throw new StampedeInputError(
      `${fn}: input.nowMs must not go backwards (previous sync at ${state.lastNowMs}), got ${show(input.nowMs)}`,
    );
  }
  for (const key of ['currentReplicas', 'readyReplicas'] as const) {
    if (!Number.isInteger(input[key]) || input[key] < 0) {
      throw new StampedeInputError(`${fn}: input.${key} must be a non-negative integer, got ${show(input[key])}`);
    }
  }
  if (!isFiniteNumber(input.metricValue) || input.metricValue < 0) {
    throw new StampedeInputError(
      `${fn}: input.metricValue must be a finite number >= 0 (average per ready pod), got ${show(input.metricValue)}`,
    );
  }
}

/**
 * ceil that forgives floating-point noise: 5 pods at 0.14 against a target of 0.1 is exactly 7, but computes as
 * 7.000000000000001, which a plain ceil would turn into an extra pod.
 */
function ceilTolerant(x: number): number {
  return Math.ceil(x - 1e-9);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Freezes the defaults all the way down so that no caller can change them for everybody else. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
