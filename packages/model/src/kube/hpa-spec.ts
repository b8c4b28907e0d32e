/**
 * The HorizontalPodAutoscaler's inputs: the spec (min/max, target, tolerance, behavior), the controller state a
 * caller keeps between syncs, one sync's input and decision, the Kubernetes defaults, and their validation.
 * `hpaReconcile` (hpa.ts) is the decision itself.
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
  /**
   * the tolerance of this direction (HPAScalingRules.tolerance, Kubernetes 1.33+, beta and on by default since 1.35):
   * scaleUp's is how far above the target the ratio may be, scaleDown's how far below; unset, `spec.tolerance`
   */
  tolerance?: number;
}

export interface HpaBehavior {
  scaleUp?: HpaScalingRules;
  scaleDown?: HpaScalingRules;
}

/**
 * How the metric reaches the controller (autoscaling/v2 MetricTarget.type), which decides its arithmetic
 * (hpa-replicas.ts):
 * - `AverageValue`: a Pods metric (GetMetricReplicas → calcPlainMetricReplicas): every pod reports a Quantity, read in
 *   whole milli-units; `targetValue` 0.6 is a target of 600m;
 * - `Utilization`: a Resource metric such as CPU (GetResourceReplicas): usage as a whole percentage of the pods'
 *   requests; `targetValue` 0.6 is averageUtilization 60.
 */
export type HpaTargetType = 'AverageValue' | 'Utilization';

export interface HpaSpec {
  minReplicas: number;
  maxReplicas: number;
  /**
   * target average metric value per pod: 0.6 is 600m of an AverageValue metric, or 60% of the request for
   * Utilization (read as a whole percent, as Kubernetes' averageUtilization is an integer)
   */
  targetValue: number;
  /** what `targetValue` and `metricValue` are; default 'AverageValue' (the arithmetic before Utilization existed here) */
  targetType?: HpaTargetType;
  /** Utilization only: one pod's request of the resource in milli-units (CPU: millicores); default 1000 */
  podRequestMilli?: number;
  /**
   * relative deviation from the target ignored as noise, both ways (the controller's --horizontal-pod-autoscaler-tolerance);
   * default `HPA_DEFAULT_TOLERANCE` (0.1); a behavior direction's own `tolerance` overrides it
   */
  tolerance?: number;
  /**
   * unset: what Kubernetes does for an HPA without spec.behavior (normalizeDesiredReplicas: scale up to at most
   * max(2 × current, 4) per sync, scale down to the highest recommendation of the last 5 minutes, no scale-down rate
   * limit); set, even to `{}`: its unset fields take `HPA_DEFAULT_BEHAVIOR` (normalizeDesiredReplicasWithBehaviors)
   */
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

/**
 * One sync's measurement, with the target's pods grouped as the controller's groupPods groups them. Pods being deleted
 * (a deletionTimestamp: terminating, draining) belong in none of the groups: the controller ignores them entirely.
 */
export interface HpaInput {
  /** virtual time of this sync */
  nowMs: number;
  /** the target's spec.replicas */
  currentReplicas: number;
  /** pods that are ready and report the metric */
  readyReplicas: number;
  /**
   * the metric's average over the ready pods, in `targetValue`'s unit (Utilization: usage as a share of the request).
   * The controller sees their total in whole milli-units: round(metricValue × readyReplicas × 1000), or × podRequestMilli
   * for Utilization; a caller that derives metricValue from integer milli-values per pod gets exactly their sum back
   */
  metricValue: number;
  /**
   * pods that count but report no metric (yet): groupPods' "missing" pods. Counted at the target (100%) when the ready
   * pods call for a scale-down, at 0 when they call for a scale-up; default 0
   */
  missingReplicas?: number;
  /**
   * pods not ready (Pending; for a Resource metric also not Ready, or in their CPU initialization): groupPods' "unready"
   * pods. Counted at 0 on a scale-up, left out otherwise; default currentReplicas − readyReplicas − missingReplicas
   * (at least 0), the pods the target should have that cannot be measured
   */
  unreadyReplicas?: number;
}

export interface HpaDecision {
  /** the replica count to set on the target (equal to currentReplicas when nothing changes) */
  desiredReplicas: number;
  /** a short human explanation of what decided the value */
  reason: string;
}

/** The relative tolerance Kubernetes applies by default (--horizontal-pod-autoscaler-tolerance). */
export const HPA_DEFAULT_TOLERANCE = 0.1;

/** The controller's --horizontal-pod-autoscaler-downscale-stabilization (5 minutes), also the window of an HPA without behavior. */
export const HPA_DEFAULT_DOWNSCALE_STABILIZATION_MS = 300_000;

/**
 * The rules Kubernetes fills in, field by field, for the unset fields of a `spec.behavior` that is set
 * (pkg/apis/autoscaling/v2/defaults.go, GenerateHPAScaleUpRules / GenerateHPAScaleDownRules, and the controller's
 * --horizontal-pod-autoscaler-downscale-stabilization flag for the scale-down window): scale up by max(+100%, +4 pods)
 * every 15 s without stabilization; scale down by up to 100% every 15 s, but only to the highest recommendation of the
 * last 5 minutes. An HPA without `spec.behavior` does not get these: SetDefaults_HorizontalPodAutoscalerBehavior leaves
 * a nil behavior nil, and the controller then limits a scale-up to max(2 × current, 4) per sync with no period
 * (calculateScaleUpLimit): from 1 pod that is 4, where these rules allow 5; from 3, 6 where these allow 7.
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

export interface ResolvedRules {
  /** false for an HPA without spec.behavior: the controller's normalizeDesiredReplicas, not ...WithBehaviors */
  withBehavior: boolean;
  scaleUp: Required<Omit<HpaScalingRules, 'tolerance'>>;
  scaleDown: Required<Omit<HpaScalingRules, 'tolerance'>>;
  /** the controller's Tolerances: scaleUp, how far above 1 the usage ratio may be; scaleDown, how far below */
  tolerances: { scaleUp: number; scaleDown: number };
  targetType: HpaTargetType;
  /** the target as the controller holds it: whole milli-units (AverageValue) or a whole percent (Utilization) */
  target: number;
  /** Utilization: one pod's request in milli-units */
  podRequestMilli: number;
}

export interface Step {
  replicas: number;
  reason: string;
}

export function resolveSpec(fn: string, spec: HpaSpec): ResolvedRules {
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
  const targetType = spec.targetType ?? 'AverageValue';
  if (targetType !== 'AverageValue' && targetType !== 'Utilization') {
    throw new StampedeInputError(`${fn}: spec.targetType must be "AverageValue", "Utilization" or unset, got ${show(spec.targetType)}`);
  }
  // The target as the controller holds it: a Quantity's MilliValue, or averageUtilization (an int32 percent).
  const target = targetType === 'Utilization' ? Math.round(spec.targetValue * 100) : Math.round(spec.targetValue * 1000);
  if (target < 1) {
    const least = targetType === 'Utilization' ? '0.01 (1%) with targetType Utilization' : '0.001 (1m)';
    throw new StampedeInputError(`${fn}: spec.targetValue must be at least ${least}, got ${show(spec.targetValue)}`);
  }
  const podRequestMilli = spec.podRequestMilli ?? 1000;
  if (!Number.isInteger(podRequestMilli) || podRequestMilli < 1) {
    throw new StampedeInputError(
      `${fn}: spec.podRequestMilli must be an integer >= 1 (millicores of CPU) or unset, got ${show(spec.podRequestMilli)}`,
    );
  }
  const tolerance = spec.tolerance ?? HPA_DEFAULT_TOLERANCE;
  checkTolerance(fn, 'spec.tolerance', spec.tolerance);
  if (spec.behavior !== undefined && (spec.behavior === null || typeof spec.behavior !== 'object')) {
    throw new StampedeInputError(`${fn}: spec.behavior must be an object { scaleUp?, scaleDown? } or unset, got ${show(spec.behavior)}`);
  }
  const behavior = spec.behavior ?? {};
  const scaleUp = resolveRules(fn, 'spec.behavior.scaleUp', behavior.scaleUp, HPA_DEFAULT_BEHAVIOR.scaleUp);
  const scaleDown = resolveRules(fn, 'spec.behavior.scaleDown', behavior.scaleDown, HPA_DEFAULT_BEHAVIOR.scaleDown);
  return {
    withBehavior: spec.behavior !== undefined,
    scaleUp: scaleUp.rules,
    scaleDown: scaleDown.rules,
    tolerances: { scaleUp: scaleUp.tolerance ?? tolerance, scaleDown: scaleDown.tolerance ?? tolerance },
    targetType,
    target,
    podRequestMilli,
  };
}

function checkTolerance(fn: string, path: string, value: unknown): void {
  if (value !== undefined && (!isFiniteNumber(value) || value < 0)) {
    throw new StampedeInputError(`${fn}: ${path} must be a finite number >= 0 (e.g. 0.1 for ±10%) or unset, got ${show(value)}`);
  }
}

/** Fills unset fields from the defaults one by one, like the API server's copyHPAScalingRules, and validates the result. */
function resolveRules(
  fn: string,
  path: string,
  rules: HpaScalingRules | undefined,
  defaults: HpaScalingRules,
): { rules: Required<Omit<HpaScalingRules, 'tolerance'>>; tolerance: number | undefined } {
  if (rules !== undefined && (rules === null || typeof rules !== 'object')) {
    throw new StampedeInputError(
      `${fn}: ${path} must be an object { stabilizationWindowMs?, policies?, selectPolicy?, tolerance? } or unset, got ${show(rules)}`,
    );
  }
  checkTolerance(fn, `${path}.tolerance`, rules?.tolerance);
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
  return { rules: { stabilizationWindowMs, policies, selectPolicy }, tolerance: rules?.tolerance };
}

export function checkState(fn: string, state: HpaState): void {
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

export function checkInput(fn: string, input: HpaInput, state: HpaState): void {
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
  for (const key of ['missingReplicas', 'unreadyReplicas'] as const) {
    const v = input[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
      throw new StampedeInputError(`${fn}: input.${key} must be a non-negative integer or unset, got ${show(v)}`);
    }
  }
  if (!isFiniteNumber(input.metricValue) || input.metricValue < 0) {
    throw new StampedeInputError(
      `${fn}: input.metricValue must be a finite number >= 0 (average per ready pod), got ${show(input.metricValue)}`,
    );
  }
}

export function isFiniteNumber(value: unknown): value is number {
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
