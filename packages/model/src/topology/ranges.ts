/**
 * The range of every numeric and duration field of a topology: what the model supports, and why. A value outside its
 * range is one issue naming the field, the value, the range and the reason (leaves.ts); the reasons are written for
 * the person fixing the file. Bounds come from what each value drives in the actors (packages/model/src/actors):
 * a period or timeout that is zero (or a sliver of a millisecond) re-arms a timer without time advancing; a rate
 * sets how many events a simulated second holds; a count sets how many actors (and bytes) a run holds; a
 * lognormal spread above 3 draws times beyond any run (e^(3·8) ≈ 10^10 medians) and overflows to Infinity soon after.
 * The size of a whole run (delegates × duration × rates) is bounded separately, by `estimateRunSize` (size.ts).
 */
import type { Range } from './leaves.ts';

const MS = 1;
const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const DAY = 24 * H;

/** The longest simulated run: a week, the longest any question about a rollout needs. */
export const MAX_RUN_MS = 7 * DAY;

const r = (min: number, max: number, why: string): Range => ({ min, max, why });

export const RANGES = {
  duration: r(1 * S, MAX_RUN_MS, 'the simulated time of a run, at most 7 days'),
  sampleInterval: r(100 * MS, 1 * H, 'the period of the sampled time series'),
  latency: r(0, 1 * M, 'one-way network latency inside a platform'),

  delegateCount: r(1, 100_000, 'one actor per delegate; larger fleets do not fit a run'),
  startSpread: r(0, 1 * DAY, 'the time over which delegates start'),
  reconnectDelay: r(1 * MS, 1 * H, 'a reconnect wait; zero would retry without time advancing'),
  reconnectBase: r(1 * MS, 1 * H, 'the first backoff of the policy; zero would retry without time advancing'),
  reconnectCap: r(1 * MS, 1 * DAY, 'the longest backoff of the policy'),
  clientTimeout: r(1 * MS, 1 * H, 'a client timeout; zero would give up before any answer'),
  registrationRetry: r(1 * S, 1 * H, 'the sleep after a failed registration'),
  heartbeatInterval: r(1 * S, 1 * H, 'the heartbeat period'),
  heartbeatTimeout: r(1 * S, 1 * H, 'how long a delegate waits for a heartbeat reply'),
  healthCacheTtl: r(0, 1 * H, 'how long the health status the liveness probe reads is cached'),
  livenessPeriod: r(1 * S, 1 * H, 'the liveness probe period, as Kubernetes periodSeconds'),
  failureThreshold: r(1, 100, 'liveness failures before a restart'),
  podRestart: r(0, 1 * H, 'the time a restarted pod takes to come back'),
  attempts: r(1, 100, 'immediate attempts per call; each is an event'),
  taskRunMedian: r(1 * MS, 1 * DAY, 'the median run time of a task'),
  taskRunSigma: r(0, 3, 'the spread of the lognormal task run time; above 3 a draw is beyond any run'),

  routerReplicas: r(1, 1_000, 'router pods, one actor each'),
  maxConnections: r(1, 100_000, 'upstream connection slots per router pod'),
  pendingAcquireMaxCount: r(0, 1_000_000, 'acquires allowed to wait per router pod'),
  pendingAcquireTimeout: r(0, 1 * H, 'how long an acquire may wait; 0 means no limit, as in reactor-pool (Duration.ZERO)'),
  staleConnectionRelease: r(0, 1 * DAY, 'how long a connection to a gone pod keeps its slot'),
  connectionSetup: r(0, 1 * M, 'how long setting up one upstream connection holds its slot'),
  maxIdleTime: r(0, 1 * DAY, 'idle time before an upstream connection is closed (0: never)'),
  minReadySeconds: r(0, 3_600, 'seconds a ready pod waits before it counts as available'),
  podDelay: r(0, 1 * H, 'pod start-up or shutdown time'),
  autoscalerReplicas: r(1, 1_000, 'router pods the autoscaler may run, one actor each'),
  syncPeriod: r(1 * S, 1 * H, 'the autoscaler period'),
  metricLag: r(0, 1 * H, 'how old the metric the autoscaler reads is'),
  cpuRequestMillicores: r(1, 1_000_000, 'a router pod’s CPU request in millicores, 1000 being one core'),
  cpuPerRequest: r(0, 1 * S, 'the CPU time one request costs a router pod'),
  cpuPerSocketPerSecond: r(0, 1 * S, 'the CPU time one open socket costs a router pod per second'),
  scaleUpPods: r(1, 1_000, 'pods one scale-up step may add'),
  scaleUpPercent: r(1, 1_000, 'percent of the current replicas one scale-up step may add'),
  scaleUpPeriod: r(1 * S, 30 * M, 'the scale-up policy period, as Kubernetes periodSeconds (at most 1800)'),
  stabilizationWindow: r(0, 1 * H, 'the scale-down stabilization window, as Kubernetes (at most 3600 s)'),

  managerReplicas: r(1, 1_000, 'manager pods, one actor each'),
  workers: r(1, 1_000, 'request workers per manager pod'),
  serviceTime: r(0, 10 * M, 'the time one request holds a manager worker'),
  serviceTimeSpread: r(0, 3, 'the spread of the lognormal service time; above 3 a draw is beyond any run'),
  heartbeatLoadPer1000: r(0, 1_000, 'manager work per 1000 heartbeats'),
  disconnectAfter: r(1 * S, 1 * DAY, 'how long a socket stays down before its tasks expire'),

  pipelinesPerMinute: r(0, 10_000, 'pipeline arrivals, each an event with its tasks'),
  tasksPerPipeline: r(0, 100, 'tasks per pipeline, each a record and several events'),
  secretsPerTask: r(0, 100, 'secrets per task'),
  apiRequestsPerSecond: r(0, 10_000, 'API requests, each several events'),
  clientRetryDelay: r(0, 1 * H, 'the wait before a client retries'),

  gateWindow: r(1 * S, 1 * DAY, 'the window the validation gate watches'),
  breachFor: r(0, 1 * DAY, 'how long a breach must last to fail the gate'),

  at: r(0, MAX_RUN_MS, 'a time in the run, at most 7 days'),
  killCount: r(1, 1_000, 'pods killed at once'),
  eventDuration: r(1 * MS, MAX_RUN_MS, 'how long the event lasts, at most the longest run'),
  latencySpike: r(1 * MS, 1 * M, 'extra one-way latency'),
  loadSpike: r(0, 100, 'the factor on the workload rates; beyond 100 a second of the run holds millions of events'),
  scaleReplicas: r(0, 1_000, 'pods of the deployment, one actor each; 0 stops them all'),
  admitRate: r(0, 100_000, 'WebSocket opens the edge lets through per second; 0 lets none through'),
} as const satisfies Record<string, Range>;
