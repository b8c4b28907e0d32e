/**
 * The resolved parameters of a platform run: every value the model uses,
 * with its unit in its name. Users never write this shape directly: they
 * write a topology (YAML or `TopologyInput`), which `parseTopology` validates
 * and resolves into this, filling every default documented here.
 */
import type { IntOrPercent } from './kube/rolling-update.ts';

export type ReconnectPolicy =
  /** legacy: a fixed wait before every reconnect */
  | { kind: 'fixed'; delayMs: number }
  /** 1, 1, 2, 3, 5 … seconds, capped; no jitter */
  | { kind: 'fibonacci'; capMs: number }
  /** exponential with full jitter: uniform(0, min(cap, base·2^n)) */
  | { kind: 'exponential-full-jitter'; baseMs: number; capMs: number }
  /** exponential with decorrelated jitter: min(cap, uniform(base, 3·previous)) */
  | { kind: 'exponential-decorrelated-jitter'; baseMs: number; capMs: number };

export interface DelegateParams {
  count: number;
  /** delegates start (register, connect) spread uniformly over this window */
  startSpreadMs: number;
  reconnect: ReconnectPolicy;
  /** WebSocket open (upgrade) timeout: the delegate gives up and closes after this */
  socketOpenTimeoutMs: number;
  /** the delegate's HTTP client gives up a REST call (registration) after this long and closes it */
  restClientTimeoutMs: number;
  /** wait after a failed registration (fixed sleep in the delegate code) */
  registrationRetryMs: number;
  heartbeatIntervalMs: number;
  /** no heartbeat reply for this long: close and reopen the socket */
  heartbeatTimeoutMs: number;
  /** liveness: health is cached this long, probed every period, restart after threshold failures */
  healthCacheTtlMs: number;
  livenessPeriodMs: number;
  livenessFailureThreshold: number;
  /** time for a restarted delegate pod to come back and start registering */
  podRestartMs: number;
  /** immediate attempts to acquire an offered task */
  taskAcquireAttempts: number;
  /** attempts to send a task result */
  taskResultAttempts: number;
  taskRunMedianMs: number;
  taskRunSigma: number;
}

export interface PoolParams {
  /** elastic: unbounded, never waits; fixed: limit + pending queue + acquire timeout */
  mode: 'elastic' | 'fixed';
  maxConnections: number;
  pendingAcquireMaxCount: number;
  pendingAcquireTimeoutMs: number;
  /** a client that goes away cancels its pending acquire / in-flight upstream work */
  cancelAbandonedAcquires: boolean;
  /** an upstream connection to a terminated manager pod keeps its slot this long */
  staleConnectionReleaseMs: number;
  /** time to set up one upstream connection (holds the slot) */
  connectionSetupMs: number;
  /**
   * close an upstream connection that carried no traffic for this long (Reactor
   * Netty's maxIdleTime); 0 never closes one (its default). Live sockets carry
   * heartbeats every 50 s, so only connections whose client is gone go idle.
   */
  maxIdleTimeMs: number;
}

export interface RolloutStrategy {
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  minReadyMs: number;
}

/**
 * What the router autoscaler scales on. `cpu`: a CPU-like load per router pod from the requests it handles and the
 * sockets it holds, against its CPU request (a Resource metric, what most HPAs use). `poolUtilization`: occupied slots /
 * maxConnections of a fixed pool (a Pods metric from Reactor Netty's gauges; an elastic pool has no limit and reports 0).
 */
export type AutoscalerMetric = 'cpu' | 'poolUtilization';

export interface AutoscalingParams {
  enabled: boolean;
  minReplicas: number;
  maxReplicas: number;
  /** what the HPA measures on each measurable router pod (ready, not terminating) */
  metric: AutoscalerMetric;
  /** target average of the metric: CPU utilisation (usage / request), or pool utilisation (occupied / maxConnections) */
  targetUtilization: number;
  /** metric cpu: the router pod's CPU request in millicores, the denominator of its CPU utilisation */
  cpuRequestMillicores: number;
  /** metric cpu: CPU time one handled request costs (a REST call or WebSocket upgrade that got an upstream connection) */
  cpuPerRequestMs: number;
  /** metric cpu: CPU time one open WebSocket costs per second it is held */
  cpuPerSocketPerSecondMs: number;
  syncPeriodMs: number;
  metricLagMs: number;
  scaleUpPods: number;
  scaleUpPercent: number;
  scaleUpPeriodMs: number;
  scaleDownStabilizationMs: number;
}

export interface RouterParams {
  replicas: number;
  pool: PoolParams;
  /** pod start-up until ready */
  readinessDelayMs: number;
  terminationGracePeriodMs: number;
  strategy: RolloutStrategy;
  autoscaling: AutoscalingParams;
}

/** How a manager pod draws a job's service time around the stated time (`manager.serviceTimes.distribution`). */
export type ServiceTimeDistribution = 'fixed' | 'exponential' | 'lognormal';

export interface ManagerParams {
  replicas: number;
  /** concurrent jobs per pod */
  workers: number;
  upgradeServiceMs: number;
  registrationServiceMs: number;
  restServiceMs: number;
  /** work to expire one disconnected delegate's tasks */
  expireServiceMs: number;
  /**
   * how each job's service time is drawn around the stated time (the four `…ServiceMs` above): `fixed`, exactly
   * it; `exponential`, with it as the mean; `lognormal`, with it as the median and `serviceTimeSpread` as σ
   */
  serviceTimeDistribution: ServiceTimeDistribution;
  /** lognormal only: σ, the standard deviation of the log of the service time */
  serviceTimeSpread: number;
  /** heartbeat work per connected delegate, as a fraction of one worker per 1000 delegates */
  heartbeatLoadPer1000: number;
  /** mark a delegate disconnected after this long without a heartbeat */
  disconnectAfterMs: number;
  readinessDelayMs: number;
  terminationGracePeriodMs: number;
  strategy: RolloutStrategy;
}

export interface WorkloadParams {
  pipelinesPerMinute: number;
  tasksPerPipeline: number;
  secretsPerTask: number;
  apiRequestsPerSecond: number;
  apiClientAttempts: number;
  /** the CI/API HTTP client gives up on a call after this long */
  clientTimeoutMs: number;
  apiRetryDelayMs: number;
}

export type TimelineEvent =
  | {
      atMs: number;
      kind: 'rollout';
      target: 'router' | 'manager';
      /** router only: the new pool settings of the new pods */
      pool?: Partial<PoolParams>;
      label: string;
    }
  | { atMs: number; kind: 'rollback'; target: 'router' | 'manager'; label: string }
  | { atMs: number; kind: 'kill-pod'; target: 'router' | 'manager'; count: number; label: string }
  | { atMs: number; kind: 'partition'; durationMs: number; label: string }
  | { atMs: number; kind: 'latency-spike'; extraLatencyMs: number; durationMs: number; label: string }
  | { atMs: number; kind: 'load-spike'; factor: number; durationMs: number; label: string }
  /**
   * `kubectl scale` (replicas: the deployment's spec.replicas) and, for the router, `kubectl patch hpa` (minReplicas,
   * maxReplicas: the autoscaler's limits from its next sync on); at least one of the three
   */
  | {
      atMs: number;
      kind: 'scale';
      target: 'router' | 'manager';
      replicas?: number;
      minReplicas?: number;
      maxReplicas?: number;
      label: string;
    }
  /** the running router pods' pools take these settings at once, without new pods (a hot configuration reload) */
  | { atMs: number; kind: 'reconfigure'; target: 'router'; pool: Partial<PoolParams>; label: string }
  /** `kubectl rollout restart`: a new revision with the same pod template, rolled out by the deployment's strategy */
  | { atMs: number; kind: 'restart'; target: 'router' | 'manager'; label: string }
  /** `kubectl rollout pause` / `resume`: while paused the controller takes no rollout step (scaling still applies) */
  | { atMs: number; kind: 'pause' | 'resume'; target: 'router' | 'manager'; label: string }
  /**
   * admission control at the edge: a fleet-wide token bucket in front of the routers lets at most `reconnectsPerSecond`
   * WebSocket opens through per second (burst as many), the others fail at once; for `durationMs`, or (undefined) until
   * the end of the run or a later `admit`
   */
  | { atMs: number; kind: 'admit'; reconnectsPerSecond: number; durationMs?: number; label: string };

export interface ValidationGateParams {
  enabled: boolean;
  /** after a router rollout completes, watch this long before promoting */
  windowMs: number;
  /** breach: connected fraction below this … */
  minConnectedFraction: number;
  /** … continuously for this long (a rollout's own socket moves dip it for seconds) */
  breachForMs: number;
}

export interface PlatformParams {
  name: string;
  description: string;
  durationMs: number;
  /** metrics sample interval */
  sampleIntervalMs: number;
  network: { minLatencyMs: number; maxLatencyMs: number };
  delegates: DelegateParams;
  router: RouterParams;
  manager: ManagerParams;
  workload: WorkloadParams;
  /** router and manager rollouts: together as the timeline says, or the router first and alone */
  validationGate: ValidationGateParams;
  timeline: TimelineEvent[];
}
