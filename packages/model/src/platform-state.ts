/**
 * What the cluster knows that no single pod owns: the Service endpoints
 * (ready router and manager pods, read by clients' load balancing), which
 * delegates hold a socket (read by the task broadcaster), the signals every
 * actor records, and the outcome counts the conservation checks read.
 *
 * Actors read and update it inside their own actions, the way kube-proxy
 * endpoints follow pod readiness; nothing here schedules or sends.
 */
import type { ActorPort, Counter, Gauge, Simulation } from '@stampede/kernel';
import type { RestOp } from './messages.ts';
import type { PlatformParams } from './params.ts';

export interface Signals {
  connected: Gauge;
  reconnectAttempts: Counter;
  attemptEstablished: Counter;
  attemptRejected: Counter;
  attemptTimedOut: Counter;
  attemptAbandoned: Counter;
  attemptFailedUpstream: Counter;
  attemptShed: Counter;
  acquireTimeouts: Counter;
  overflowRejections: Counter;
  pendingAcquires: Gauge;
  slotsWebsocket: Gauge;
  slotsRest: Gauge;
  slotsStale: Gauge;
  slotsSetup: Gauge;
  slotsAbandoned: Gauge;
  slotCapacity: Gauge;
  wastedUpgrades: Counter;
  restarts: Counter;
  registrations: Counter;
  tasksIssued: Counter;
  tasksCompleted: Counter;
  tasksFailed: Counter;
  tasksExpired: Counter;
  tasksAcquiredInSla: Counter;
  blockedPipelines: Counter;
  failedSecretResolutions: Counter;
  apiRequests: Counter;
  apiErrors: Counter;
  restCalls: Counter;
  routerReplicas: Gauge;
  routerReady: Gauge;
  managerReady: Gauge;
  managerQueue: Gauge;
}

/** What a deployment controller publishes about its rollout (read by the oracle for its trigger window). */
export interface RolloutStatus {
  /** a rollout, restart or rollback is under way: old pods left, or new ones not yet available */
  inProgress: boolean;
  /** spec.paused: the controller takes no rollout step (`kubectl rollout pause`) */
  paused: boolean;
}

/**
 * The admission control at the edge (an `admit` event): a token bucket in front of the routers, where a load balancer
 * or an ingress would limit connection rates. Tokens are counted in thousandths so that the refill is exact.
 */
export interface AdmissionBucket {
  /** WebSocket opens let through per second, and the burst (the bucket's size) */
  perSecond: number;
  /** tokens left, in thousandths of a token */
  milliTokens: number;
  /** when the bucket was last refilled */
  refilledAtMs: number;
}

export interface PlatformState {
  readonly params: PlatformParams;
  readonly signals: Signals;
  /** ids of ready router pods that take new connections, in creation order */
  readyRouters: string[];
  /** ids of ready manager pods */
  readyManagers: string[];
  /** delegates holding an open socket (a list for O(1) random picks, and each one's index in it) */
  connectedList: string[];
  connectedIndex: Map<string, number>;
  /** pools of the ready router pods, read by the autoscaler's metric */
  routerPools: Map<string, import('./actors/router-pool.ts').RouterPool>;
  /** request ids, unique across the platform */
  nextReqId: number;
  /** virtual times at which a rollout or rollback finished (every new pod available) */
  rolloutsCompletedAtMs: number[];
  /**
   * the Deployments' spec.replicas as the API server holds it: written by whoever scales (the autoscaler, a timeline
   * `scale`) when they scale, read by the autoscaler through the scale subresource; the controllers act on SCALE
   */
  specReplicas: { router: number; manager: number };
  /** the router HorizontalPodAutoscaler's limits as the API server holds them: the topology's, then any patch (a `scale`) */
  autoscalerLimits: { minReplicas: number; maxReplicas: number };
  /** each deployment controller's rollout status */
  rollouts: { router: RolloutStatus; manager: RolloutStatus };
  /** the admission control in force at the edge, or undefined (none: every WebSocket open reaches a router) */
  admission: AdmissionBucket | undefined;
  /** connection attempts started and not yet ended (conservation) */
  attemptsInFlight: number;
  /** violations of the conservation laws found while running (empty when all held) */
  violations: string[];
  /** the timeline events as they happened: [virtual ms, what] */
  timelineLog: [number, string][];
}

export function createSignals(sim: Simulation): Signals {
  const m = sim.metrics;
  return {
    connected: m.gauge('delegates.connected'),
    reconnectAttempts: m.counter('delegates.connect.attempts'),
    attemptEstablished: m.counter('delegates.connect.established'),
    attemptRejected: m.counter('delegates.connect.rejected'),
    attemptTimedOut: m.counter('delegates.connect.timed-out'),
    attemptAbandoned: m.counter('delegates.connect.abandoned'),
    attemptFailedUpstream: m.counter('delegates.connect.failed-upstream'),
    attemptShed: m.counter('delegates.connect.shed'),
    acquireTimeouts: m.counter('router.acquire.timeouts'),
    overflowRejections: m.counter('router.acquire.overflow'),
    pendingAcquires: m.gauge('router.pending'),
    slotsWebsocket: m.gauge('router.slots.websocket'),
    slotsRest: m.gauge('router.slots.rest'),
    slotsStale: m.gauge('router.slots.stale'),
    slotsSetup: m.gauge('router.slots.in-setup'),
    slotsAbandoned: m.gauge('router.slots.abandoned'),
    slotCapacity: m.gauge('router.slots.capacity'),
    wastedUpgrades: m.counter('manager.upgrades.wasted'),
    restarts: m.counter('delegates.restarts'),
    registrations: m.counter('delegates.registrations'),
    tasksIssued: m.counter('tasks.issued'),
    tasksCompleted: m.counter('tasks.completed'),
    tasksFailed: m.counter('tasks.failed'),
    tasksExpired: m.counter('tasks.expired'),
    tasksAcquiredInSla: m.counter('tasks.acquired-in-sla'),
    blockedPipelines: m.counter('pipelines.blocked'),
    failedSecretResolutions: m.counter('secrets.failed'),
    apiRequests: m.counter('api.requests'),
    apiErrors: m.counter('api.errors'),
    restCalls: m.counter('router.rest.calls'),
    routerReplicas: m.gauge('router.replicas'),
    routerReady: m.gauge('router.ready'),
    managerReady: m.gauge('manager.ready'),
    managerQueue: m.gauge('manager.queue'),
  };
}

/** The state of a platform before anything runs: nobody ready, nobody connected, no request yet. */
export function createPlatformState(params: PlatformParams, sim: Simulation, signals: Signals = createSignals(sim)): PlatformState {
  return {
    params,
    signals,
    readyRouters: [],
    readyManagers: [],
    connectedList: [],
    connectedIndex: new Map(),
    routerPools: new Map(),
    nextReqId: 1,
    rolloutsCompletedAtMs: [],
    specReplicas: { router: params.router.replicas, manager: params.manager.replicas },
    autoscalerLimits: { minReplicas: params.router.autoscaling.minReplicas, maxReplicas: params.router.autoscaling.maxReplicas },
    rollouts: { router: { inProgress: false, paused: false }, manager: { inProgress: false, paused: false } },
    admission: undefined,
    attemptsInFlight: 0,
    violations: [],
    timelineLog: [],
  };
}

/**
 * The admission control: whether the load balancer in front of the routers lets one more WebSocket open through now.
 * Modelled here, where the client's load-balancing pick is (`pickOne` over the Service endpoints), because the limit is
 * the edge's and fleet-wide: no router sees a refused open. A token bucket of `perSecond` tokens, refilled continuously
 * at `perSecond` a second; an open takes one token or is refused. REST calls are not limited.
 */
export function admitWebSocket(platform: PlatformState, now: number): boolean {
  const a = platform.admission;
  if (a === undefined) return true;
  a.milliTokens = Math.min(a.perSecond * 1000, a.milliTokens + (now - a.refilledAtMs) * a.perSecond);
  a.refilledAtMs = now;
  if (a.milliTokens < 1000) return false;
  a.milliTokens -= 1000;
  return true;
}

/** Picks uniformly among `ids` with the caller's stream; undefined when empty. (A stream, not a closure: no allocation per pick.) */
export function pickOne(ids: readonly string[], random: { next(): number }): string | undefined {
  if (ids.length === 0) return undefined;
  return ids[Math.floor(random.next() * ids.length)];
}

/**
 * Sends one REST call through a router picked by load balancing. With no ready
 * router the call fails at once (a REST_RESULT ok: false to the caller itself).
 */
export function sendRestCall(platform: PlatformState, port: ActorPort, op: RestOp): { reqId: number; router: string | undefined } {
  const reqId = platform.nextReqId++;
  const router = pickOne(platform.readyRouters, port.random);
  if (router === undefined) port.send(port.id, { type: 'REST_RESULT', reqId, ok: false }, { latencyMs: 0 });
  else port.send(router, { type: 'REST', reqId, client: port.id, op });
  return { reqId, router };
}
