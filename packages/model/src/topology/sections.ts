/**
 * The sections of a topology: network, delegates, router (pool, strategy, autoscaling), manager, workload and the
 * validation gate, each resolved into a partial of its params (missing fields are left to the defaults).
 */
import type {
  AutoscalerMetric,
  AutoscalingParams,
  DelegateParams,
  ManagerParams,
  PlatformParams,
  PoolParams,
  RolloutStrategy,
  RouterParams,
  ServiceTimeDistribution,
  ValidationGateParams,
  WorkloadParams,
} from '../params.ts';
import { bool, duration, fraction, int, intOrPercent, num, oneOf, utilization } from './leaves.ts';
import { RANGES } from './ranges.ts';
import { reconnect } from './reconnect.ts';
import { defined, mapping, seconds } from './structure.ts';

export const network = mapping({
  minLatency: duration(RANGES.latency).optional(),
  maxLatency: duration(RANGES.latency).optional(),
}).transform((n) => defined<PlatformParams['network']>({ minLatencyMs: n.minLatency, maxLatencyMs: n.maxLatency }));

export const delegates = mapping({
  count: int(1, RANGES.delegateCount).optional(),
  startSpread: duration(RANGES.startSpread).optional(),
  reconnect: reconnect.optional(),
  socketOpenTimeout: duration(RANGES.clientTimeout).optional(),
  restClientTimeout: duration(RANGES.clientTimeout).optional(),
  registrationRetry: duration(RANGES.registrationRetry).optional(),
  heartbeatInterval: duration(RANGES.heartbeatInterval).optional(),
  heartbeatTimeout: duration(RANGES.heartbeatTimeout).optional(),
  livenessProbe: mapping({
    healthCacheTtl: duration(RANGES.healthCacheTtl).optional(),
    period: duration(RANGES.livenessPeriod).optional(),
    failureThreshold: int(1, RANGES.failureThreshold).optional(),
  }).optional(),
  podRestart: duration(RANGES.podRestart).optional(),
  tasks: mapping({
    acquireAttempts: int(1, RANGES.attempts).optional(),
    resultAttempts: int(1, RANGES.attempts).optional(),
    runMedian: duration(RANGES.taskRunMedian).optional(),
    runSigma: num(RANGES.taskRunSigma).optional(),
  }).optional(),
}).transform((d) =>
  defined<DelegateParams>({
    count: d.count,
    startSpreadMs: d.startSpread,
    reconnect: d.reconnect,
    socketOpenTimeoutMs: d.socketOpenTimeout,
    restClientTimeoutMs: d.restClientTimeout,
    registrationRetryMs: d.registrationRetry,
    heartbeatIntervalMs: d.heartbeatInterval,
    heartbeatTimeoutMs: d.heartbeatTimeout,
    healthCacheTtlMs: d.livenessProbe?.healthCacheTtl,
    livenessPeriodMs: d.livenessProbe?.period,
    livenessFailureThreshold: d.livenessProbe?.failureThreshold,
    podRestartMs: d.podRestart,
    taskAcquireAttempts: d.tasks?.acquireAttempts,
    taskResultAttempts: d.tasks?.resultAttempts,
    taskRunMedianMs: d.tasks?.runMedian,
    taskRunSigma: d.tasks?.runSigma,
  }),
);

/** router.pool, and the partial pool a router rollout brings (same keys). */
export const pool = mapping({
  mode: oneOf(['elastic', 'fixed']).optional(),
  maxConnections: int(1, RANGES.maxConnections).optional(),
  pendingAcquireMaxCount: int(0, RANGES.pendingAcquireMaxCount).optional(),
  pendingAcquireTimeout: duration(RANGES.pendingAcquireTimeout).optional(),
  cancelAbandonedAcquires: bool.optional(),
  staleConnectionRelease: duration(RANGES.staleConnectionRelease).optional(),
  connectionSetup: duration(RANGES.connectionSetup).optional(),
  maxIdleTime: duration(RANGES.maxIdleTime).optional(),
}).transform((p) =>
  defined<PoolParams>({
    mode: p.mode,
    maxConnections: p.maxConnections,
    pendingAcquireMaxCount: p.pendingAcquireMaxCount,
    pendingAcquireTimeoutMs: p.pendingAcquireTimeout,
    cancelAbandonedAcquires: p.cancelAbandonedAcquires,
    staleConnectionReleaseMs: p.staleConnectionRelease,
    connectionSetupMs: p.connectionSetup,
    maxIdleTimeMs: p.maxIdleTime,
  }),
);

/** A Deployment's spec.strategy plus spec.minReadySeconds, as in a Kubernetes manifest. */
const strategy = mapping({
  rollingUpdate: mapping({ maxSurge: intOrPercent.optional(), maxUnavailable: intOrPercent.optional() }).optional(),
  minReadySeconds: int(0, RANGES.minReadySeconds).optional(),
}).transform((s) =>
  defined<RolloutStrategy>({
    maxSurge: s.rollingUpdate?.maxSurge,
    maxUnavailable: s.rollingUpdate?.maxUnavailable,
    minReadyMs: seconds(s.minReadySeconds),
  }),
);

/** A HorizontalPodAutoscaler: spec.minReplicas / maxReplicas, the target, and spec.behavior. */
/** router.autoscaling.metric (cross-field.ts refuses poolUtilization where every router pool is elastic). */
export const AUTOSCALER_METRICS = ['cpu', 'poolUtilization'] as const satisfies readonly AutoscalerMetric[];

const autoscaling = mapping({
  enabled: bool.optional(),
  minReplicas: int(1, RANGES.autoscalerReplicas).optional(),
  maxReplicas: int(1, RANGES.autoscalerReplicas).optional(),
  metric: oneOf(AUTOSCALER_METRICS).optional(),
  targetUtilization: utilization.optional(),
  cpu: mapping({
    requestMillicores: int(1, RANGES.cpuRequestMillicores).optional(),
    perRequest: duration(RANGES.cpuPerRequest).optional(),
    perSocketPerSecond: duration(RANGES.cpuPerSocketPerSecond).optional(),
  }).optional(),
  syncPeriod: duration(RANGES.syncPeriod).optional(),
  metricLag: duration(RANGES.metricLag).optional(),
  behavior: mapping({
    scaleUp: mapping({
      pods: int(1, RANGES.scaleUpPods).optional(),
      percent: int(1, RANGES.scaleUpPercent).optional(),
      period: duration(RANGES.scaleUpPeriod).optional(),
    }).optional(),
    scaleDown: mapping({ stabilizationWindow: duration(RANGES.stabilizationWindow).optional() }).optional(),
  }).optional(),
}).transform((a) =>
  defined<AutoscalingParams>({
    enabled: a.enabled,
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    metric: a.metric,
    targetUtilization: a.targetUtilization,
    cpuRequestMillicores: a.cpu?.requestMillicores,
    cpuPerRequestMs: a.cpu?.perRequest,
    cpuPerSocketPerSecondMs: a.cpu?.perSocketPerSecond,
    syncPeriodMs: a.syncPeriod,
    metricLagMs: a.metricLag,
    scaleUpPods: a.behavior?.scaleUp?.pods,
    scaleUpPercent: a.behavior?.scaleUp?.percent,
    scaleUpPeriodMs: a.behavior?.scaleUp?.period,
    scaleDownStabilizationMs: a.behavior?.scaleDown?.stabilizationWindow,
  }),
);

/** A section whose nested objects are themselves partial, to be spread over the defaults one level down. */
type PartialSection<T, Nested extends keyof T> = Omit<T, Nested> & { [K in Nested]: Partial<T[K]> };

export const router = mapping({
  replicas: int(1, RANGES.routerReplicas).optional(),
  pool: pool.optional(),
  readinessDelay: duration(RANGES.podDelay).optional(),
  terminationGracePeriod: duration(RANGES.podDelay).optional(),
  strategy: strategy.optional(),
  autoscaling: autoscaling.optional(),
}).transform((r) =>
  defined<PartialSection<RouterParams, 'pool' | 'strategy' | 'autoscaling'>>({
    replicas: r.replicas,
    pool: r.pool,
    readinessDelayMs: r.readinessDelay,
    terminationGracePeriodMs: r.terminationGracePeriod,
    strategy: r.strategy,
    autoscaling: r.autoscaling,
  }),
);

/** manager.serviceTimes.distribution; `spread` goes with lognormal only (cross-field.ts). */
export const SERVICE_TIME_DISTRIBUTIONS = ['fixed', 'exponential', 'lognormal'] as const satisfies readonly ServiceTimeDistribution[];

export const manager = mapping({
  replicas: int(1, RANGES.managerReplicas).optional(),
  workers: int(1, RANGES.workers).optional(),
  serviceTimes: mapping({
    upgrade: duration(RANGES.serviceTime).optional(),
    registration: duration(RANGES.serviceTime).optional(),
    rest: duration(RANGES.serviceTime).optional(),
    expire: duration(RANGES.serviceTime).optional(),
    distribution: oneOf(SERVICE_TIME_DISTRIBUTIONS).optional(),
    spread: num(RANGES.serviceTimeSpread).optional(),
  }).optional(),
  heartbeatLoadPer1000: num(RANGES.heartbeatLoadPer1000).optional(),
  disconnectAfter: duration(RANGES.disconnectAfter).optional(),
  readinessDelay: duration(RANGES.podDelay).optional(),
  terminationGracePeriod: duration(RANGES.podDelay).optional(),
  strategy: strategy.optional(),
}).transform((m) =>
  defined<PartialSection<ManagerParams, 'strategy'>>({
    replicas: m.replicas,
    workers: m.workers,
    upgradeServiceMs: m.serviceTimes?.upgrade,
    registrationServiceMs: m.serviceTimes?.registration,
    restServiceMs: m.serviceTimes?.rest,
    expireServiceMs: m.serviceTimes?.expire,
    serviceTimeDistribution: m.serviceTimes?.distribution,
    serviceTimeSpread: m.serviceTimes?.spread,
    heartbeatLoadPer1000: m.heartbeatLoadPer1000,
    disconnectAfterMs: m.disconnectAfter,
    readinessDelayMs: m.readinessDelay,
    terminationGracePeriodMs: m.terminationGracePeriod,
    strategy: m.strategy,
  }),
);

export const workload = mapping({
  pipelinesPerMinute: num(RANGES.pipelinesPerMinute).optional(),
  tasksPerPipeline: int(0, RANGES.tasksPerPipeline).optional(),
  secretsPerTask: int(0, RANGES.secretsPerTask).optional(),
  apiRequestsPerSecond: num(RANGES.apiRequestsPerSecond).optional(),
  clientAttempts: int(1, RANGES.attempts).optional(),
  clientRetryDelay: duration(RANGES.clientRetryDelay).optional(),
  clientTimeout: duration(RANGES.clientTimeout).optional(),
}).transform((w) =>
  defined<WorkloadParams>({
    pipelinesPerMinute: w.pipelinesPerMinute,
    tasksPerPipeline: w.tasksPerPipeline,
    secretsPerTask: w.secretsPerTask,
    apiRequestsPerSecond: w.apiRequestsPerSecond,
    apiClientAttempts: w.clientAttempts,
    clientTimeoutMs: w.clientTimeout,
    apiRetryDelayMs: w.clientRetryDelay,
  }),
);

export const validationGate = mapping({
  enabled: bool.optional(),
  window: duration(RANGES.gateWindow).optional(),
  minConnectedFraction: fraction.optional(),
  breachFor: duration(RANGES.breachFor).optional(),
}).transform((g) =>
  defined<ValidationGateParams>({
    enabled: g.enabled,
    windowMs: g.window,
    minConnectedFraction: g.minConnectedFraction,
    breachForMs: g.breachFor,
  }),
);
