/**
 * Kubernetes' own HPA test cases, ported: each title names the Go test (and subtest) it comes from, in
 * pkg/controller/podautoscaler/replica_calculator_test.go and horizontal_test.go (Kubernetes 1.35), so that a reader
 * can check the numbers against the source.
 *
 * How a case is carried over:
 * - the pods: `readyReplicas` counts the pods that groupPods leaves in the metrics, `missingReplicas` those without a
 *   metric, `unreadyReplicas` those it removes as unready (Pending, or for CPU not Ready / in their initialization);
 *   pods being deleted or failed are in no count (groupPods ignores them);
 * - a Resource (CPU) case becomes targetType Utilization: each fake pod there has two containers, each requesting the
 *   pod's `requests` value, so a pod's request is twice it (podRequestMilli 2000 for "1.0") and its usage twice its
 *   level; metricValue is the ready pods' Σ usage / Σ request, which hands the controller that Σ usage exactly;
 * - a Pods (custom) metric case becomes targetType AverageValue, in units (levels and targets are milli-values);
 * - horizontal_test.go's TestScalingWithRules calls convertDesiredReplicasWithBehaviorRate directly, without
 *   stabilization: the ports set a scale-down window of 0 and propose the "prenormalized" count with a metric of
 *   desired/current against a target of 1;
 * - scale events and recommendations made before "now" are written into the HpaState, as the Go tests write them into
 *   the controller's maps (generateEventsUniformDistribution([1, 5, 9], 120) puts them 100 s, 60 s and 20 s ago).
 */
import { describe, expect, it } from 'vitest';
import {
  createHpaState,
  type HpaDecision,
  type HpaInput,
  type HpaScalingRules,
  type HpaSpec,
  type HpaState,
  hpaReconcile,
} from '../../src/kube/hpa.ts';

const NOW = 3_600_000;

/** A Resource (CPU) case of replica_calculator_test.go: per-pod levels are one container's usage; requests "1.0". */
function resource(
  targetPercent: number,
  readyLevels: number[],
  pods: { current: number; missing?: number; unready?: number; tolerances?: [down: number, up: number] },
): HpaDecision {
  const podRequestMilli = 2 * 1000;
  const usage = readyLevels.reduce((sum, level) => sum + 2 * level, 0);
  const behavior = pods.tolerances && {
    scaleDown: { tolerance: pods.tolerances[0], stabilizationWindowMs: 0 },
    scaleUp: { tolerance: pods.tolerances[1] },
  };
  const spec: HpaSpec = { minReplicas: 1, maxReplicas: 1000, targetValue: targetPercent / 100, targetType: 'Utilization', podRequestMilli };
  return proposal(
    { ...spec, behavior },
    {
      currentReplicas: pods.current,
      readyReplicas: readyLevels.length,
      metricValue: usage / (podRequestMilli * readyLevels.length),
      missingReplicas: pods.missing ?? 0,
      unreadyReplicas: pods.unready ?? 0,
    },
  );
}

/** A Pods-metric case (podMetric): levels and target in milli-units. */
function podMetric(
  targetMilli: number,
  readyLevelsMilli: number[],
  pods: { current: number; missing?: number; tolerances?: [down: number, up: number] },
): HpaDecision {
  const total = readyLevelsMilli.reduce((sum, level) => sum + level, 0);
  const behavior = pods.tolerances && { scaleDown: { tolerance: pods.tolerances[0] }, scaleUp: { tolerance: pods.tolerances[1] } };
  return proposal(
    { minReplicas: 1, maxReplicas: 1000, targetValue: targetMilli / 1000, behavior },
    {
      currentReplicas: pods.current,
      readyReplicas: readyLevelsMilli.length,
      metricValue: total / 1000 / readyLevelsMilli.length,
      missingReplicas: pods.missing ?? 0,
      unreadyReplicas: 0,
    },
  );
}

/**
 * One sync of an HPA the controller has seen before (no initial recommendation) whose scale-down window is empty: the
 * replica calculator's answer comes through unless the bounds or the default scale-up limit change it.
 */
function proposal(spec: HpaSpec, input: Omit<HpaInput, 'nowMs'>): HpaDecision {
  const state: HpaState = { ...createHpaState(), lastNowMs: NOW - 15_000 };
  const behavior = { ...spec.behavior, scaleDown: { stabilizationWindowMs: 0, ...spec.behavior?.scaleDown } };
  return hpaReconcile(state, { ...spec, behavior }, { nowMs: NOW, ...input });
}

describe('replica_calculator_test.go: GetResourceReplicas (CPU utilization)', () => {
  it('TestReplicaCalcResourceScale/scale up: 3 pods at 50% of a 30% target → 5', () => {
    expect(resource(30, [300, 500, 700], { current: 3 })).toEqual({
      desiredReplicas: 5,
      reason: 'scale up: utilization 50% vs target 30%',
    });
  });

  it('TestReplicaCalcResourceScale/scale up: unready pod scales less → 4, not 5', () => {
    // the unready pod's 300 is dropped; 2 ready pods at 60% → ratio 2; counted at 0 it is 40% over 3 pods → ceil(4.0)
    expect(resource(30, [500, 700], { current: 3, unready: 1 }).desiredReplicas).toBe(4);
  });

  it('TestReplicaCalcResourceScale/no scale: unready pods ignored → 3', () => {
    // 40% on the ready pod calls for more; with the 2 unready pods at 0 it is 13%, a scale-down: keep 3
    expect(resource(30, [400], { current: 3, unready: 2 })).toEqual({
      desiredReplicas: 3,
      reason: 'waiting for 2 not-ready replicas: utilization 40% vs target 30%',
    });
  });

  it('TestReplicaCalcResourceScale/scale up: pods being deleted are ignored → 4', () => {
    // 4 pods listed, 2 of them with a deletionTimestamp: they are in no group at all
    expect(resource(30, [500, 700], { current: 2 }).desiredReplicas).toBe(4);
  });

  it('TestReplicaCalcResourceScale/scale down → 3, and /scale down: pods being deleted are ignored → 3', () => {
    expect(resource(50, [100, 300, 500, 250, 250], { current: 5 })).toEqual({
      desiredReplicas: 3,
      reason: 'scale down: utilization 28% vs target 50%',
    });
  });

  it('TestReplicaCalcResourceScale/scale down: exclude unready pods → 2', () => {
    expect(resource(50, [100, 300, 500], { current: 5, unready: 2 }).desiredReplicas).toBe(2);
  });

  it('TestReplicaCalcResourceScale/scale down: exclude unscheduled pods → 1', () => {
    expect(resource(50, [100], { current: 5, unready: 4 }).desiredReplicas).toBe(1);
  });

  it('TestReplicaCalcTolerance: 102% against 100% → 3', () => {
    // requests 0.9, 1.0 and 1.1 there; only their sum (6000m over the three pods) matters without missing pods
    expect(resource(100, [1010, 1030, 1020], { current: 3 }).reason).toBe(
      'within tolerance: utilization 102% vs target 100% (tolerance 0.1)',
    );
  });

  // Tolerances{scaleDown, scaleUp}, as behavior.scaleDown.tolerance and behavior.scaleUp.tolerance
  it.each([
    { name: 'Outside of a 0% tolerance', levels: [909, 1010, 1111], tolerances: [0, 0], expected: 4 },
    { name: 'Within a 200% scale-up tolerance', levels: [1890, 1910, 1900], tolerances: [0.1, 2], expected: 3 },
    {
      name: 'Outside 8% scale-up tolerance (and superfuous scale-down tolerance)',
      levels: [1100, 1080, 1090],
      tolerances: [2, 0.08],
      expected: 4,
    },
    { name: 'Within a 36% scale-down tolerance', levels: [660, 640, 650], tolerances: [0.36, 0.1], expected: 3 },
    { name: 'Outside a 34% scale-down tolerance', levels: [660, 640, 650], tolerances: [0.34, 0.1], expected: 2 },
  ])('TestReplicaCalcConfigurableTolerance/$name → $expected', ({ levels, tolerances, expected }) => {
    expect(resource(100, levels, { current: 3, tolerances: [tolerances[0]!, tolerances[1]!] }).desiredReplicas).toBe(expected);
  });

  it('TestReplicaCalcMissingMetrics: 2 of 4 pods without a metric count at 100% on a scale-down → 3', () => {
    // 24% on the 2 reporting pods; with 2 pods at 100% it is (990 + 4000) / 8000 = 62% → ceil(0.62 · 4) = 3
    expect(resource(100, [400, 95], { current: 4, missing: 2 })).toEqual({
      desiredReplicas: 3,
      reason: 'scale down: utilization 24% vs target 100%, counting 2 replicas without a metric',
    });
  });

  it('TestReplicaCalcMissingMetricsNoChangeEq / NoChangeGt / NoChangeLt → 2', () => {
    expect(resource(100, [1000], { current: 2, missing: 1 }).desiredReplicas).toBe(2); // exactly at target
    expect(resource(100, [1900], { current: 2, missing: 1 }).desiredReplicas).toBe(2); // 190%, with the missing pod at 0: 95%
    expect(resource(100, [600], { current: 2, missing: 1 }).desiredReplicas).toBe(2); // 60%, with the missing pod at 100%: 80% of 2
  });

  it('TestReplicaCalcMissingMetricsUnreadyChange: a scale-down that missing pods at 100% turn into a scale-up → 3', () => {
    expect(resource(50, [450], { current: 3, missing: 1, unready: 1 }).desiredReplicas).toBe(3);
  });

  it('TestReplicaCalcMissingMetricsUnreadyScaleUp → 4', () => {
    // 200% against 50%; the missing and the unready pod at 0: 66% over 3 pods → ceil(1.32 · 3) = 4
    expect(resource(50, [2000], { current: 3, missing: 1, unready: 1 }).desiredReplicas).toBe(4);
  });

  it('TestReplicaCalcMissingMetricsUnreadyScaleDown → 3', () => {
    // 10% on 2 pods; the missing one at 100%: 40% over 3 → ceil(0.8 · 3) = 3; the unready pod is left out
    expect(resource(50, [100, 100], { current: 4, missing: 1, unready: 1 }).desiredReplicas).toBe(3);
  });

  it('TestReplicaCalcDuringRollingUpdateWithMaxSurge: a surge pod without a metric does not turn a scale-down into a scale-up → 2', () => {
    // 3 pods for 2 replicas: ceil(0.8 · 3) = 3 would be above the current 2 with a ratio below 1
    expect(resource(50, [100, 100], { current: 2, missing: 1 }).desiredReplicas).toBe(2);
  });
});

describe('replica_calculator_test.go: calcPlainMetricReplicas (a Pods metric, AverageValue)', () => {
  it('TestReplicaCalcScaleUpCM → 4', () => {
    expect(podMetric(15_000, [20_000, 10_000, 30_000], { current: 3 })).toEqual({
      desiredReplicas: 4,
      reason: 'scale up: metric 20 vs target 15',
    });
  });

  it('TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale → 6: a not-Ready running pod with a metric counts (readiness is for CPU only)', () => {
    expect(podMetric(15_000, [50_000, 10_000, 30_000], { current: 3 }).desiredReplicas).toBe(6);
  });

  it('TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown → 7: usage 95000/3 is 31666 (integer division)', () => {
    expect(podMetric(15_000, [50_000, 15_000, 30_000], { current: 3 }).desiredReplicas).toBe(7);
  });

  it('TestReplicaCalcScaleDownCM → 3', () => {
    expect(podMetric(20_000, [12_000, 12_000, 12_000, 12_000, 12_000], { current: 5 }).desiredReplicas).toBe(3);
  });

  it('TestReplicaCalcToleranceCM → 3, and TestReplicaCalcConfigurableToleranceCM (scale-up tolerance 1%) → 4', () => {
    expect(podMetric(20_000, [20_000, 21_000, 21_000], { current: 3 }).desiredReplicas).toBe(3);
    expect(podMetric(20_000, [20_000, 21_000, 21_000], { current: 3, tolerances: [0.1, 0.01] }).desiredReplicas).toBe(4);
  });

  it('TestPlainMetricReplicaCalcMissingMetricsNoChangeEq → 5', () => {
    expect(podMetric(20_000, [20_000, 19_000, 21_000], { current: 5, missing: 2 }).desiredReplicas).toBe(5);
  });

  it('TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM → 2: a missing pod counts at the target itself', () => {
    expect(podMetric(17_000, [10_000, 10_000], { current: 2, missing: 1 }).desiredReplicas).toBe(2);
  });
});

describe('the tolerance boundary and the ceiling, as Kubernetes computes them', () => {
  const cpu: HpaSpec = { minReplicas: 1, maxReplicas: 100, targetValue: 0.6, targetType: 'Utilization', behavior: {} };
  const sync = (spec: HpaSpec, metricValue: number, pods = 10): HpaDecision =>
    hpaReconcile(createHpaState(), spec, { nowMs: 0, currentReplicas: pods, readyReplicas: pods, metricValue });

  it('66% against a 60% target is within: 66/60 is the same double as 1 + 0.1 (Tolerances.isWithin, Kubernetes 1.33+)', () => {
    expect(66 / 60).toBe(1 + 0.1);
    expect(Math.abs(1 - 66 / 60) <= 0.1).toBe(false); // the check before 1.33 would have scaled to ceil(1.1 · 10) = 11
    expect(sync(cpu, 0.66)).toEqual({ desiredReplicas: 10, reason: 'within tolerance: utilization 66% vs target 60% (tolerance 0.1)' });
    expect(sync(cpu, 0.67).desiredReplicas).toBe(12); // ceil(67/60 · 10) = ceil(11.17)
    expect(sync({ ...cpu, targetType: 'AverageValue' }, 0.66).desiredReplicas).toBe(10); // 660m against 600m alike
  });

  it('54% against 60% is within at the lower boundary (1 − 0.1 <= 0.9), 53% is not', () => {
    expect(sync(cpu, 0.54).desiredReplicas).toBe(10);
    expect(sync({ ...cpu, behavior: { scaleDown: { stabilizationWindowMs: 0 } } }, 0.53).desiredReplicas).toBe(9); // ceil(8.83)
  });

  it('utilisation is a whole percent, truncated (GetResourceUtilizationRatio): 66.9% is 66%, still within', () => {
    expect(sync(cpu, 0.669).reason).toBe('within tolerance: utilization 66% vs target 60% (tolerance 0.1)');
  });

  it('the ceiling is a plain math.Ceil: 124% against 60% on 15 pods is 31.000000000000004 pods, so 32', () => {
    expect((124 / 60) * 15).toBe(31.000000000000004);
    const unlimited: HpaSpec = { ...cpu, behavior: { scaleUp: { policies: [{ type: 'Percent', value: 1000, periodMs: 15_000 }] } } };
    expect(sync(unlimited, 1.24, 15)).toEqual({ desiredReplicas: 32, reason: 'scale up: utilization 124% vs target 60%' });
  });
});

describe('horizontal_test.go', () => {
  /** An HPA at `current` replicas whose metric proposes `desired` (a metric of desired/current against 1). */
  const propose = (current: number, desired: number) => ({
    currentReplicas: current,
    readyReplicas: current,
    metricValue: desired / current,
  });

  describe('TestNormalizeDesiredReplicas (no behavior: stabilizeRecommendation over the 5-minute window)', () => {
    // [replicas, seconds ago]
    it.each([
      {
        name: 'stabilize',
        recommendations: [
          [4, 120],
          [5, 60],
        ],
        expected: 5,
      },
      {
        name: 'no stabilize',
        recommendations: [
          [1, 120],
          [2, 60],
        ],
        expected: 3,
      },
      {
        name: 'no stabilize - old recommendations',
        recommendations: [
          [10, 600],
          [9, 540],
        ],
        expected: 3,
      },
      {
        name: 'stabilize - old recommendations',
        recommendations: [
          [10, 600],
          [4, 60],
          [5, 120],
          [9, 540],
        ],
        expected: 5,
      },
    ])('$name → $expected', ({ recommendations, expected }) => {
      const state: HpaState = {
        ...createHpaState(),
        recommendations: recommendations.map(([replicas, ago]) => ({ atMs: NOW - ago! * 1000, replicas: replicas! })),
        lastNowMs: NOW - 15_000,
      };
      // 5 pods whose metric proposes 3
      const decision = hpaReconcile(state, { minReplicas: 1, maxReplicas: 100, targetValue: 1 }, { nowMs: NOW, ...propose(5, 3) });
      expect(decision.desiredReplicas).toBe(expected);
    });
  });

  describe('TestScalingWithRules (convertDesiredReplicasWithBehaviorRate)', () => {
    /** generateScalingRules(pods, podsPeriod, percent, percentPeriod, 0) */
    const rules = (pods: number, podsPeriod: number, percent: number, percentPeriod: number): HpaScalingRules => ({
      stabilizationWindowMs: 0,
      policies: [
        ...(pods !== 0 ? [{ type: 'Pods' as const, value: pods, periodMs: podsPeriod * 1000 }] : []),
        ...(percent !== 0 ? [{ type: 'Percent' as const, value: percent, periodMs: percentPeriod * 1000 }] : []),
      ],
    });
    /** generateEventsUniformDistribution(changes, 120): the i-th of n at 120 − 120·(i+1)/n + 60/n seconds ago */
    const events = (changes: number[]) =>
      changes.map((changePods, i) => ({ atMs: NOW - (120 - (120 / changes.length) * (i + 1) + 60 / changes.length) * 1000, changePods }));

    interface Case {
      min: number;
      max: number;
      current: number;
      desired: number;
      up?: HpaScalingRules;
      down?: HpaScalingRules;
      upEvents?: number[];
      downEvents?: number[];
      expected: number;
    }
    const cases: [string, Case][] = [
      ['prenormalized desired replicas within range', { min: 3, max: 8, current: 5, desired: 7, expected: 7 }],
      ['prenormalized desired replicas < minReplicas', { min: 2, max: 8, current: 3, desired: 1, expected: 2 }],
      ['desired replica count is more than the maximum replica count', { min: 100, max: 150, current: 100, desired: 1000, expected: 150 }],
      [
        'scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies',
        { min: 1, max: 2000, current: 3, desired: 1000, up: rules(0, 0, 1, 60), expected: 4 },
      ],
      ['scaleUp with default behavior', { min: 1, max: 1000, current: 10, desired: 50, expected: 20 }],
      [
        'scaleUp with pods policy larger than percent policy',
        { min: 1, max: 1000, current: 10, desired: 500, up: rules(100, 60, 100, 60), expected: 110 },
      ],
      [
        'scaleUp with percent policy larger than pods policy',
        { min: 1, max: 1000, current: 10, desired: 500, up: rules(2, 60, 100, 60), expected: 20 },
      ],
      ['scaleUp with pod policy limitation', { min: 1, max: 1000, current: 10, desired: 50, up: rules(30, 60, 0, 0), expected: 40 }],
      ['scaleUp with percent policy limitation', { min: 1, max: 1000, current: 10, desired: 50, up: rules(0, 0, 200, 60), expected: 30 }],
      [
        'scaleDown with percent policy larger than pod policy',
        { min: 1, max: 1000, current: 100, desired: 2, down: rules(20, 60, 1, 60), expected: 80 },
      ],
      [
        'scaleDown with pod policy larger than percent policy',
        { min: 1, max: 1000, current: 100, desired: 2, down: rules(2, 60, 1, 60), expected: 98 },
      ],
      [
        'scaleDown with spec MinReplicas limitation with large percent policy',
        { min: 5, max: 1000, current: 10, desired: 2, down: rules(0, 0, 100, 60), expected: 5 },
      ],
      ['scaleDown with pod policy limitation', { min: 1, max: 1000, current: 10, desired: 2, down: rules(5, 60, 0, 0), expected: 5 }],
      [
        'scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events',
        { min: 1, max: 1000, current: 100, desired: 500, up: rules(5, 120, 0, 0), upEvents: [1, 5, 9], expected: 100 },
      ],
      [
        'scaleUp with pod policy and previous scale up events',
        { min: 1, max: 1000, current: 100, desired: 500, up: rules(150, 120, 0, 0), upEvents: [1, 5, 9], expected: 235 },
      ],
      [
        'scaleUp with percent policy and previous scale up and down events',
        { min: 1, max: 1000, current: 6, desired: 24, up: rules(0, 0, 300, 300), upEvents: [4], downEvents: [2], expected: 16 },
      ],
      [
        'scaleDown with percent policy limitation and previous events',
        { min: 1, max: 1000, current: 100, desired: 0, down: rules(0, 0, 50, 120), downEvents: [2, 4, 6], expected: 56 },
      ],
      [
        'scaleDown with previous events preventing further scale down',
        { min: 1, max: 1000, current: 100, desired: 0, down: rules(0, 0, 10, 120), downEvents: [10, 10, 10], expected: 100 },
      ],
    ];
    it.each(cases)('%s', (_name, c) => {
      const state: HpaState = {
        ...createHpaState(),
        scaleUpEvents: events(c.upEvents ?? []),
        scaleDownEvents: events(c.downEvents ?? []),
        lastNowMs: NOW - 15_000,
      };
      const spec: HpaSpec = {
        minReplicas: c.min,
        maxReplicas: c.max,
        targetValue: 1,
        behavior: { scaleUp: c.up, scaleDown: { stabilizationWindowMs: 0, ...c.down } },
      };
      expect(hpaReconcile(state, spec, { nowMs: NOW, ...propose(c.current, c.desired) }).desiredReplicas).toBe(c.expected);
    });
  });
});
