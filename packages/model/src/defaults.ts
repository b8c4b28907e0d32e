/**
 * Default parameters, from the public delegate code and the postmortem of
 * the 6 March 2026 incident (docs/design.md, "The model"). Every value is overridable in a
 * topology file; the comment says where it comes from.
 */
import type { PlatformParams } from './params.ts';

/** `T` with every nested field read-only: what `DEFAULTS` is to its users (clone it to make a topology of your own). */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

function deepFreeze<T>(value: T): DeepReadonly<T> {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value as DeepReadonly<T>;
}

/** A mutable copy of `DEFAULTS`: parameters of your own to change. */
export const defaultParams = (): PlatformParams => structuredClone(DEFAULTS) as PlatformParams;

/**
 * Frozen, all the way down: a caller that changed it by accident would change every later run in the process.
 * `defaultParams()` (or a topology file) gives parameters of your own to change.
 */
export const DEFAULTS: DeepReadonly<PlatformParams> = deepFreeze<PlatformParams>({
  name: 'unnamed',
  description: '',
  durationMs: 60 * 60_000,
  sampleIntervalMs: 5_000,
  network: { minLatencyMs: 1, maxLatencyMs: 5 },
  delegates: {
    count: 2_000,
    startSpreadMs: 60_000,
    reconnect: { kind: 'fixed', delayMs: 5_000 }, // legacy delegates: fixed 5 s, no jitter
    socketOpenTimeoutMs: 15_000, // WebSocket open timeout in the delegate code
    restClientTimeoutMs: 10_000,
    registrationRetryMs: 60_000, // fixed 60 s sleep after a failed registration
    heartbeatIntervalMs: 50_000,
    heartbeatTimeoutMs: 5 * 60_000,
    healthCacheTtlMs: 5 * 60_000, // health status cached 5 min
    livenessPeriodMs: 10_000, // liveness probe every 10 s
    livenessFailureThreshold: 3,
    podRestartMs: 20_000,
    taskAcquireAttempts: 3,
    taskResultAttempts: 5,
    taskRunMedianMs: 30_000,
    taskRunSigma: 0.8,
  },
  router: {
    replicas: 4,
    pool: {
      mode: 'elastic',
      maxConnections: 520,
      pendingAcquireMaxCount: 1_000,
      pendingAcquireTimeoutMs: 45_000,
      cancelAbandonedAcquires: false,
      staleConnectionReleaseMs: 120_000,
      connectionSetupMs: 100,
      maxIdleTimeMs: 0,
    },
    readinessDelayMs: 15_000,
    terminationGracePeriodMs: 30_000,
    strategy: { maxSurge: '25%', maxUnavailable: '25%', minReadyMs: 0 },
    autoscaling: {
      enabled: true,
      minReplicas: 4,
      maxReplicas: 4,
      metric: 'cpu', // what most HPAs scale on (the API's own default metric is 80% CPU)
      targetUtilization: 0.8,
      // A router pod as a Netty gateway: 250m requested; 2 ms of CPU per proxied request (TLS, HTTP parsing, copying
      // both ways); 0.2 ms per second per open WebSocket (the heartbeats and task offers it carries). The Prod4 fleet at
      // rest (≈ 500 sockets and 2.5 requests/s per pod) is then ≈ 105m: 42% of the request, half the 80% target.
      cpuRequestMillicores: 250,
      cpuPerRequestMs: 2,
      cpuPerSocketPerSecondMs: 0.2,
      syncPeriodMs: 15_000,
      metricLagMs: 30_000,
      scaleUpPods: 4,
      scaleUpPercent: 100,
      scaleUpPeriodMs: 60_000,
      scaleDownStabilizationMs: 300_000,
    },
  },
  manager: {
    replicas: 6,
    workers: 8,
    upgradeServiceMs: 250,
    registrationServiceMs: 800,
    restServiceMs: 30,
    expireServiceMs: 200,
    serviceTimeDistribution: 'fixed', // every job takes exactly its service time, as before distributions existed
    serviceTimeSpread: 0.5, // used by lognormal only: p90 ≈ 1.9 × the median, mean ≈ 1.13 × the median
    heartbeatLoadPer1000: 1,
    disconnectAfterMs: 5 * 60_000,
    readinessDelayMs: 60_000, // a JVM service: start, caches warm, readiness probe passes
    terminationGracePeriodMs: 30_000,
    strategy: { maxSurge: '25%', maxUnavailable: '25%', minReadyMs: 0 },
  },
  workload: {
    pipelinesPerMinute: 30,
    tasksPerPipeline: 3,
    secretsPerTask: 2,
    apiRequestsPerSecond: 5,
    apiClientAttempts: 3,
    clientTimeoutMs: 10_000,
    apiRetryDelayMs: 1_000,
  },
  validationGate: { enabled: false, windowMs: 5 * 60_000, minConnectedFraction: 0.95, breachForMs: 2 * 60_000 },
  timeline: [],
});
