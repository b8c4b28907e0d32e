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

export interface ResolvedRules {
  scaleUp: Required<HpaScalingRules>;
  scaleDown: Required<HpaScalingRules>;
  tolerance: number;
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
