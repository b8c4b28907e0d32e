/**
 * Every field of a topology file: its path, what it accepts (read off the schema, described.ts), its default (read
 * off `DEFAULTS` through the resolved parameter it sets), what it models and what to watch for. The schema gives
 * the shape and the ranges; `FIELD_DOCS` gives the words. A test walks both: a field without words, words without
 * a field, or a `param` that the field does not set all fail it.
 */
import type { z } from 'zod';
import { DEFAULTS } from '../defaults.ts';
import type { PlatformParams } from '../params.ts';
import { type LeafInfo, leafInfoOf, variantsInfoOf } from './described.ts';
import { formatDuration } from './duration.ts';
import { type PolicyKind, policyDefaults } from './reconnect.ts';
import { topologySchema } from './schema.ts';

/** One field as the schema has it. */
export interface SchemaField {
  /** `router.pool.maxConnections`; a list item is `[]`: `timeline[].at` */
  path: string;
  /** the variant the field belongs to (a reconnect policy, a timeline action); undefined outside variants */
  variant: string | undefined;
  /** what picks the variant, e.g. `policy` */
  variantBy: string | undefined;
  info: LeafInfo;
  /** whether the field must be written (within its mapping) */
  required: boolean;
}

interface ZodInternals {
  _zod: { def: { type: string; innerType?: object; in?: object; shape?: Record<string, object>; element?: object } };
}

function* walk(schema: object, path: string, variant: { name: string; by: string } | undefined, optional: boolean): Generator<SchemaField> {
  const info = leafInfoOf(schema);
  if (info !== undefined) {
    yield { path, variant: variant?.name, variantBy: variant?.by, info, required: !optional };
    return;
  }
  const variants = variantsInfoOf(schema);
  if (variants !== undefined) {
    for (const [name, v] of Object.entries(variants.variants)) yield* walk(v.schema, path, { name, by: variants.by }, optional);
    return;
  }
  const def = (schema as ZodInternals)._zod.def;
  if (def.type === 'optional' && def.innerType !== undefined) yield* walk(def.innerType, path, variant, true);
  else if (def.type === 'pipe' && def.in !== undefined) yield* walk(def.in, path, variant, optional);
  else if (def.type === 'array' && def.element !== undefined) yield* walk(def.element, `${path}[]`, variant, false);
  else if (def.type === 'object' && def.shape !== undefined)
    for (const [key, s] of Object.entries(def.shape)) yield* walk(s, path === '' ? key : `${path}.${key}`, variant, false);
  else throw new Error(`topology fields: the schema part at '${path}' (${def.type}) has no description (register it in described.ts)`);
}

/** Every field of the schema, in the schema's order; a field of several variants once per variant. */
export function schemaFields(schema: z.ZodType = topologySchema): SchemaField[] {
  return [...walk(schema, '', undefined, false)];
}

/** The words for one field. */
export interface FieldDoc {
  /** the resolved parameter it sets (a dotted path into `PlatformParams`); absent for timeline fields */
  param?: string;
  /** what it models, in a sentence or two */
  models: string;
  /** what a user should watch for */
  note?: string;
  /** the default in words, where it is not a parameter's value (timeline fields) */
  default?: string;
  /** a key several timeline actions share (`pool`, `duration`): what differs for one action */
  byVariant?: Record<string, Partial<Pick<FieldDoc, 'models' | 'note' | 'default'>>>;
}

const SERVICE = 'the time one request of this kind holds a manager worker';
const STRATEGY_SURGE =
  'pods the rollout may start above the desired count (Deployment spec.strategy.rollingUpdate.maxSurge); a percentage rounds up';
const STRATEGY_UNAVAILABLE =
  'pods that may be unavailable during the rollout (rollingUpdate.maxUnavailable); a percentage rounds down; maxSurge and maxUnavailable cannot both be 0';
const MIN_READY = 'seconds a new pod must stay ready before it counts as available and the rollout moves on (spec.minReadySeconds)';

/** The words for every field, keyed by path; a field of a variant shares its path's words. */
export const FIELD_DOCS: Record<string, FieldDoc> = {
  name: { param: 'name', models: 'the name reports, sweeps and headers show' },
  description: { param: 'description', models: 'free text shown in the report' },
  duration: {
    param: 'durationMs',
    models: 'how much simulated time the run covers',
    note: 'the oracle judges on its own clock (until the deadline after the last trigger), not this duration',
  },
  sampleInterval: { param: 'sampleIntervalMs', models: 'the period of the sampled time series (CSV, charts, the oracle)' },
  'network.minLatency': { param: 'network.minLatencyMs', models: 'the shortest one-way latency of a message between actors' },
  'network.maxLatency': {
    param: 'network.maxLatencyMs',
    models: 'the longest one-way latency; each message draws uniformly between the two',
  },

  'delegates.count': { param: 'delegates.count', models: 'delegates (customer-side agents), each holding one WebSocket to a router pod' },
  'delegates.startSpread': {
    param: 'delegates.startSpreadMs',
    models: 'delegates start (register, then connect) spread uniformly over this window from time 0',
  },
  'delegates.reconnect.policy': {
    param: 'delegates.reconnect.kind',
    models:
      'how a delegate waits before reopening a lost WebSocket: `fixed` (the same wait every time), `fibonacci` (1, 1, 2, 3, 5 … s up to cap, no jitter), `exponential-full-jitter` (uniform(0, min(cap, base·2ⁿ))), `exponential-decorrelated-jitter` (min(cap, uniform(base, 3·previous)))',
    note: 'may be left out when only `delay` is given: that is the fixed policy. The legacy delegates of the incident reconnect after a fixed 5 s, all at once',
  },
  'delegates.reconnect.delay': { param: 'delegates.reconnect.delayMs', models: 'the fixed wait before every reconnect' },
  'delegates.reconnect.base': { param: 'delegates.reconnect.baseMs', models: 'the first backoff of an exponential policy' },
  'delegates.reconnect.cap': { param: 'delegates.reconnect.capMs', models: 'the longest backoff of the policy' },
  'delegates.socketOpenTimeout': {
    param: 'delegates.socketOpenTimeoutMs',
    models: 'how long a delegate waits for its WebSocket upgrade to be answered before it gives up and closes',
    note: 'a delegate that gives up leaves its acquire waiting at the router unless `router.pool.cancelAbandonedAcquires` is true',
  },
  'delegates.restClientTimeout': {
    param: 'delegates.restClientTimeoutMs',
    models:
      "the delegate's HTTP client gives up a registration call after this long (task acquire and result calls have no client timeout in the model)",
  },
  'delegates.registrationRetry': {
    param: 'delegates.registrationRetryMs',
    models: 'the fixed sleep after a failed registration before the delegate tries again',
  },
  'delegates.heartbeatInterval': {
    param: 'delegates.heartbeatIntervalMs',
    models:
      "the delegate's heartbeat period. The model samples heartbeats (one round trip per `heartbeatTimeout`, a sixth of the messages), and uses this as the wait for that heartbeat's reply before the delegate closes the socket and reconnects",
    note: 'a dead path is noticed within heartbeatTimeout + heartbeatInterval (5 min 50 s by default), as with every-50 s heartbeats',
  },
  'delegates.heartbeatTimeout': {
    param: 'delegates.heartbeatTimeoutMs',
    models: 'the delegate reconnects after this long without a heartbeat reply. In the model: the period of the one sampled heartbeat',
  },
  'delegates.livenessProbe.healthCacheTtl': {
    param: 'delegates.healthCacheTtlMs',
    models: "how long the delegate's health status, which the liveness probe reads, is cached",
    note: 'a delegate that cannot reconnect looks healthy to the probe for up to this long',
  },
  'delegates.livenessProbe.period': { param: 'delegates.livenessPeriodMs', models: 'the liveness probe period (periodSeconds)' },
  'delegates.livenessProbe.failureThreshold': {
    param: 'delegates.livenessFailureThreshold',
    models: 'failed probes in a row before Kubernetes restarts the delegate pod (failureThreshold)',
  },
  'delegates.podRestart': {
    param: 'delegates.podRestartMs',
    models: 'how long a restarted delegate pod takes to come back and start registering',
  },
  'delegates.tasks.acquireAttempts': { param: 'delegates.taskAcquireAttempts', models: 'immediate attempts to acquire an offered task' },
  'delegates.tasks.resultAttempts': { param: 'delegates.taskResultAttempts', models: 'attempts to send a finished task’s result' },
  'delegates.tasks.runMedian': { param: 'delegates.taskRunMedianMs', models: 'the median run time of a task (lognormal)' },
  'delegates.tasks.runSigma': {
    param: 'delegates.taskRunSigma',
    models: 'the spread σ of the lognormal task run time (0: every task takes the median)',
  },

  'router.replicas': {
    param: 'router.replicas',
    models: 'router pods before any rollout or scaling',
    note: 'with autoscaling enabled (the default) the autoscaler keeps the count within minReplicas … maxReplicas (both 4 by default), as Kubernetes does: `replicas: 8` is scaled back to 4 at the start unless maxReplicas is raised too',
  },
  'router.pool.mode': {
    param: 'router.pool.mode',
    models:
      '`elastic`: the pool opens a connection per request and never waits (the platform before the upgrade); `fixed`: at most `maxConnections` slots, then a FIFO of waiting acquires with a timeout (the upgrade of the incident)',
    note: 'an elastic pool always cancels the work of a client that left; a fixed pool only with `cancelAbandonedAcquires: true`',
  },
  'router.pool.maxConnections': {
    param: 'router.pool.maxConnections',
    models:
      'upstream connection slots per router pod in a fixed pool; a WebSocket pins one for its life, a REST call holds one for its service time',
    note: 'also the denominator of the autoscaler’s metric `poolUtilization`, for fixed pools only (an elastic pool has no limit and reports 0)',
  },
  'router.pool.pendingAcquireMaxCount': {
    param: 'router.pool.pendingAcquireMaxCount',
    models: 'acquires that may wait for a slot per router pod; one more is rejected at once',
  },
  'router.pool.pendingAcquireTimeout': {
    param: 'router.pool.pendingAcquireTimeoutMs',
    models: 'how long an acquire may wait for a slot before it fails; 0: no limit, as in reactor-pool',
    note: 'longer than `delegates.socketOpenTimeout` (15 s) by default: the delegate has given up long before its acquire fails',
  },
  'router.pool.cancelAbandonedAcquires': {
    param: 'router.pool.cancelAbandonedAcquires',
    models: 'whether a client that goes away cancels its waiting acquire and its upstream work (fixed pools)',
    note: 'false by default, as in the incident: a slot is then taken for a socket nobody is waiting for, which is one of the loops that keep a storm going',
  },
  'router.pool.staleConnectionRelease': {
    param: 'router.pool.staleConnectionReleaseMs',
    models: 'how long the slot of a connection to a terminated manager pod stays taken after the pod is gone',
  },
  'router.pool.connectionSetup': {
    param: 'router.pool.connectionSetupMs',
    models: 'the time setting up one upstream connection holds its slot before the request goes on',
  },
  'router.pool.maxIdleTime': {
    param: 'router.pool.maxIdleTimeMs',
    models: 'close an upstream connection that carried no traffic for this long (0: never, Reactor Netty’s default)',
    note: 'live sockets carry heartbeats, so only connections whose client is gone go idle',
  },
  'router.readinessDelay': {
    param: 'router.readinessDelayMs',
    models: 'from a router pod’s start until it is ready and in the Service endpoints',
  },
  'router.terminationGracePeriod': {
    param: 'router.terminationGracePeriodMs',
    models: 'a terminating router pod serves what it has for this long, then closes every socket it holds',
  },
  'router.strategy.rollingUpdate.maxSurge': { param: 'router.strategy.maxSurge', models: STRATEGY_SURGE },
  'router.strategy.rollingUpdate.maxUnavailable': { param: 'router.strategy.maxUnavailable', models: STRATEGY_UNAVAILABLE },
  'router.strategy.minReadySeconds': { param: 'router.strategy.minReadyMs', models: MIN_READY },
  'router.autoscaling.enabled': {
    param: 'router.autoscaling.enabled',
    models: 'whether a HorizontalPodAutoscaler scales the router deployment',
  },
  'router.autoscaling.minReplicas': {
    param: 'router.autoscaling.minReplicas',
    models: 'the fewest router pods the autoscaler keeps',
    note: 'minReplicas and maxReplicas are both 4 by default: the autoscaler runs but can add no pod until maxReplicas is raised',
  },
  'router.autoscaling.maxReplicas': { param: 'router.autoscaling.maxReplicas', models: 'the most router pods the autoscaler may run' },
  'router.autoscaling.metric': {
    param: 'router.autoscaling.metric',
    models:
      'what the autoscaler measures on each ready router pod: `cpu`, a CPU-like load from the requests the pod handles and the sockets it holds, against its CPU request (a Resource metric, what most HPAs scale on); `poolUtilization`, occupied upstream slots / `maxConnections` of its pool (a Pods metric, from Reactor Netty’s gauges)',
    note: 'the two can disagree about a storm: a full fixed pool whose acquires wait is at 100% pool utilisation but does little work, so its CPU is low (waiting is not work). An elastic pool has no limit and reports 0 pool utilisation: `poolUtilization` with every router pool elastic (the base pool and every rollout) is refused when the autoscaler may scale (maxReplicas above minReplicas). Terminating (draining) pods are left out of both, as Kubernetes does',
  },
  'router.autoscaling.targetUtilization': {
    param: 'router.autoscaling.targetUtilization',
    models:
      'the target average of the metric over the measured router pods: CPU usage / request (`cpu`, averageUtilization, read as a whole percent: 0.8 is 80%) or occupied slots / maxConnections (`poolUtilization`, an averageValue of 800m)',
    note: 'a new pod takes only new connections: nothing moves existing sockets onto it. A pod ready for less than the metric lag has no sample yet: as Kubernetes counts a pod without metrics, it counts as loaded on a scale-down (100% of its CPU request for `cpu`, the target for `poolUtilization`) and at 0 on a scale-up',
  },
  'router.autoscaling.cpu.requestMillicores': {
    param: 'router.autoscaling.cpuRequestMillicores',
    models: 'metric `cpu`: the router pod’s CPU request (resources.requests.cpu) in millicores, the denominator of its CPU utilisation',
  },
  'router.autoscaling.cpu.perRequest': {
    param: 'router.autoscaling.cpuPerRequestMs',
    models:
      'metric `cpu`: the CPU time one handled request costs a router pod (a REST call or WebSocket upgrade that got an upstream connection: TLS, parsing, proxying)',
    note: 'a request waiting for a slot, timing out or rejected costs nothing here: waiting is not work',
  },
  'router.autoscaling.cpu.perSocketPerSecond': {
    param: 'router.autoscaling.cpuPerSocketPerSecondMs',
    models: 'metric `cpu`: the CPU time one open delegate WebSocket costs its router pod per second (heartbeats, task offers)',
    note: 'with the defaults a Prod4 router pod at rest (≈ 500 sockets, 2.5 requests/s) uses ≈ 105m, 42% of its 250m request',
  },
  'router.autoscaling.syncPeriod': {
    param: 'router.autoscaling.syncPeriodMs',
    models: 'how often the autoscaler reads the metric and decides',
  },
  'router.autoscaling.metricLag': {
    param: 'router.autoscaling.metricLagMs',
    models: 'how old the metric it reads is (the metrics pipeline lags)',
  },
  'router.autoscaling.behavior.scaleUp.pods': {
    param: 'router.autoscaling.scaleUpPods',
    models: 'pods one scale-up period may add (behavior.scaleUp policy type Pods)',
  },
  'router.autoscaling.behavior.scaleUp.percent': {
    param: 'router.autoscaling.scaleUpPercent',
    models: 'percent of the current replicas one scale-up period may add (policy type Percent); the larger of the two limits applies',
  },
  'router.autoscaling.behavior.scaleUp.period': {
    param: 'router.autoscaling.scaleUpPeriodMs',
    models: 'the period of both scale-up policies',
  },
  'router.autoscaling.behavior.scaleDown.stabilizationWindow': {
    param: 'router.autoscaling.scaleDownStabilizationMs',
    models: 'scale down only to the highest recommendation of this window',
  },

  'manager.replicas': { param: 'manager.replicas', models: 'delegate-manager pods before any rollout' },
  'manager.workers': { param: 'manager.workers', models: 'requests one manager pod serves at once; more wait in its queue' },
  'manager.serviceTimes.upgrade': { param: 'manager.upgradeServiceMs', models: `${SERVICE}: accepting a WebSocket upgrade` },
  'manager.serviceTimes.registration': { param: 'manager.registrationServiceMs', models: `${SERVICE}: a delegate registration` },
  'manager.serviceTimes.rest': { param: 'manager.restServiceMs', models: `${SERVICE}: a REST call (task, secret or API)` },
  'manager.serviceTimes.expire': { param: 'manager.expireServiceMs', models: `${SERVICE}: expiring one disconnected delegate’s tasks` },
  'manager.serviceTimes.distribution': {
    param: 'manager.serviceTimeDistribution',
    models:
      'how each job’s service time is drawn around the times above, from the pod’s seeded stream: `fixed` (exactly the stated time; M/D/c), `exponential` (the stated time is the mean; M/M/c), `lognormal` (the stated time is the median, `spread` is σ; the mean is median·e^(σ²/2))',
    note: 'a REST call holds its router slot for its manager’s service time, so the distribution also shapes how long router slots stay taken; `fixed` draws nothing, so runs keep their trace hashes',
  },
  'manager.serviceTimes.spread': {
    param: 'manager.serviceTimeSpread',
    models:
      'lognormal only: σ, the standard deviation of the log of the service time (0.5: a tenth of the jobs take more than 1.9 × the median)',
    note: 'an error with `fixed` or `exponential`, which have no spread to set',
  },
  'manager.heartbeatLoadPer1000': {
    param: 'manager.heartbeatLoadPer1000',
    models: 'the work of heartbeats as a share of one worker per 1000 connected delegates',
  },
  'manager.disconnectAfter': {
    param: 'manager.disconnectAfterMs',
    models: 'a delegate whose socket stayed down this long is marked disconnected and its started tasks expire (manager work)',
  },
  'manager.readinessDelay': {
    param: 'manager.readinessDelayMs',
    models: 'from a manager pod’s start until it is ready (a JVM service warming up)',
  },
  'manager.terminationGracePeriod': {
    param: 'manager.terminationGracePeriodMs',
    models: 'a terminating manager pod drops its sessions after this long; each dropped delegate reconnects',
  },
  'manager.strategy.rollingUpdate.maxSurge': { param: 'manager.strategy.maxSurge', models: STRATEGY_SURGE },
  'manager.strategy.rollingUpdate.maxUnavailable': { param: 'manager.strategy.maxUnavailable', models: STRATEGY_UNAVAILABLE },
  'manager.strategy.minReadySeconds': { param: 'manager.strategy.minReadyMs', models: MIN_READY },

  'workload.pipelinesPerMinute': {
    param: 'workload.pipelinesPerMinute',
    models: 'pipeline arrivals (Poisson), each offering its tasks to connected delegates',
  },
  'workload.tasksPerPipeline': { param: 'workload.tasksPerPipeline', models: 'tasks per pipeline' },
  'workload.secretsPerTask': { param: 'workload.secretsPerTask', models: 'secret fetches (REST calls through the routers) per task' },
  'workload.apiRequestsPerSecond': {
    param: 'workload.apiRequestsPerSecond',
    models: 'API requests from CI and users (Poisson), each a REST call through the routers',
  },
  'workload.clientAttempts': {
    param: 'workload.apiClientAttempts',
    models: 'attempts of the CI/API client per call (API requests and the secret fetches of tasks)',
  },
  'workload.clientRetryDelay': {
    param: 'workload.apiRetryDelayMs',
    models: 'the wait before the CI/API client retries a failed API request (a failed secret fetch is retried at once)',
  },
  'workload.clientTimeout': { param: 'workload.clientTimeoutMs', models: 'the CI/API client gives up a call after this long' },

  'validationGate.enabled': {
    param: 'validationGate.enabled',
    models: 'watch each router rollout and roll it back automatically when the connected fraction stays low',
  },
  'validationGate.window': {
    param: 'validationGate.windowMs',
    models: 'after a router rollout completes, watch this long before promoting it',
  },
  'validationGate.minConnectedFraction': {
    param: 'validationGate.minConnectedFraction',
    models: 'a breach: the connected fraction below this …',
  },
  'validationGate.breachFor': {
    param: 'validationGate.breachForMs',
    models: '… continuously for this long rolls the router back (a rollout’s own socket moves dip it for seconds)',
  },

  'timeline[].at': { models: 'when the event happens, from the start of the run', default: 'required' },
  'timeline[].label': { models: 'the event’s name in logs, charts and reports', default: 'made from the event' },
  'timeline[].rollout': {
    models: 'roll the `router` or `manager` deployment to a new revision: every pod is replaced under its rollingUpdate strategy',
    note: 'every socket of a replaced pod reconnects: this is the burst of the incident',
  },
  'timeline[].pool': {
    models:
      'router rollouts only: the pool settings of the new pods (the keys of `router.pool`); keys left out keep the running pods’ values',
    default: 'the running pool',
    byVariant: {
      reconfigure: {
        models:
          'the pool settings the running router pods take at once (the keys of `router.pool` but `mode`), and the pods started later too (scaling, a later rollout or a rollback)',
        note: 'nothing held is evicted: with `maxConnections` below the slots held, new acquires wait until occupancy falls below the new limit; raised, the waiting acquires are served at once, oldest first. `pendingAcquireMaxCount` below the queue fails nothing waiting; a new `pendingAcquireTimeout` applies to acquires that begin to wait from then on; a new `maxIdleTime` evicts the connections pinned for clients that left by their idle time so far (those idle longer go at once); the other settings apply to what happens from then on',
      },
    },
  },
  'timeline[].rollback': {
    models: 'roll `router` or `manager` back to the previous revision (a manual rollback)',
    note: 'the oracle judges without the file’s rollbacks: does the platform come back by itself?',
  },
  'timeline[].kill': { models: 'kill ready pods of `router` or `manager` at random' },
  'timeline[].count': { models: 'pods to kill', default: '1' },
  'timeline[].partition': { models: 'cut the network between delegates and routers (`delegates-routers`) for `duration`' },
  'timeline[].duration': {
    models: 'how long a partition, latency spike or load spike lasts',
    default: 'required',
    byVariant: {
      admit: {
        models:
          'how long the admission limit stays in force; a later `admit` replaces it, and at the end of its duration there is no limit',
        default: 'until the end of the run',
      },
    },
  },
  'timeline[].latencySpike': { models: 'extra one-way latency on every message for `duration`' },
  'timeline[].loadSpike': { models: 'multiply the workload rates by this factor for `duration`' },
  'timeline[].scale': {
    models:
      'scale the `router` or `manager` deployment by hand: `replicas` sets its spec.replicas (`kubectl scale`); for the router, `minReplicas` and `maxReplicas` patch its autoscaler’s limits (`kubectl patch hpa`), read at its next sync. At least one of the three',
    note: 'the autoscaler starts its next sync (15 s) from the replicas set by hand: outside its limits it brings them straight back inside, and within them its recommendation decides; its scale-down window holds only its own recommendations, so a scale-up above what the metric asks for is undone unless `minReplicas` is raised with it. In the middle of a rollout the new count applies to the rollout’s next step; while the rollout is paused, to every revision in proportion',
  },
  'timeline[].replicas': {
    models: 'the deployment’s new spec.replicas; 0 stops every pod (the autoscaler then leaves it alone, as Kubernetes does)',
    default: 'unchanged',
  },
  'timeline[].minReplicas': {
    models: 'router only: the autoscaler’s new minReplicas, at most its maxReplicas in force',
    note: 'refused when `router.autoscaling.enabled` is false: there is no autoscaler to patch',
    default: 'unchanged',
  },
  'timeline[].maxReplicas': {
    models: 'router only: the autoscaler’s new maxReplicas, at least its minReplicas in force',
    default: 'unchanged',
  },
  'timeline[].reconfigure': {
    models:
      'reload the `router` pool’s settings in place, as a hot configuration change: the running pods (starting, ready or draining) take `pool` at once, with no new revision and no pod replaced',
    note: 'a later rollout starts from the reloaded settings, and a rollback keeps them (a reload is not part of the pod template)',
  },
  'timeline[].restart': {
    models:
      'restart every pod of `router` or `manager` (`kubectl rollout restart`): a new revision with the same pod template, rolled out by the deployment’s strategy',
    note: 'every socket of a replaced pod reconnects, as in any rollout; refused while the deployment is paused, as kubectl refuses it',
  },
  'timeline[].pause': {
    models:
      'pause the `router` or `manager` deployment’s rollouts (`kubectl rollout pause`): the controller takes no rollout step (pods already starting finish) until a `resume`; scaling still applies. A rollout started while paused waits for the resume',
    note: 'a paused deployment cannot be restarted or rolled back (kubectl refuses both): resume it first. The oracle’s trigger window closes on a rollout held by a pause that is never resumed',
  },
  'timeline[].resume': {
    models: 'resume a paused deployment’s rollouts (`kubectl rollout resume`): the held rollout goes on from where it stopped',
    note: 'needs a pause of the same deployment before it',
  },
  'timeline[].admit.reconnectsPerSecond': {
    models:
      'admission control at the edge: a fleet-wide token bucket in front of the routers lets at most this many WebSocket opens through per second (a burst of as many); the others fail at once, before any router, and the delegate retries with its reconnect policy. REST calls are not limited',
    note: '0 lets no WebSocket open through',
  },
};

/** The words for a field: its own path's, with what differs for its variant (a timeline action) if anything does. */
export function fieldDoc(path: string, variant?: string): FieldDoc | undefined {
  const doc = FIELD_DOCS[path];
  const own = variant === undefined ? undefined : doc?.byVariant?.[variant];
  return own === undefined || doc === undefined ? doc : { ...doc, ...own };
}

function valueAt(root: unknown, dotted: string): unknown {
  let v: unknown = root;
  for (const key of dotted.split('.')) v = (v as Record<string, unknown> | undefined)?.[key];
  return v;
}

/** A resolved parameter's value as a topology file writes it: durations as `45s`, minReadySeconds in seconds. */
export function yamlValue(field: SchemaField, paramValue: unknown): string {
  if (field.path.endsWith('.minReadySeconds') && typeof paramValue === 'number') return String(paramValue / 1_000);
  if (field.info.type === 'duration' && typeof paramValue === 'number') return formatDuration(paramValue);
  if (typeof paramValue === 'string') return field.info.type === 'pods or percent' ? `"${paramValue}"` : paramValue;
  return JSON.stringify(paramValue);
}

/** The default of a field as a topology writes it; per policy for the reconnect settings. */
export function fieldDefault(field: SchemaField): string {
  const doc = fieldDoc(field.path, field.variant);
  if (doc?.default !== undefined) return doc.default;
  if (doc?.param === undefined) return '';
  if (field.path.startsWith('delegates.reconnect.') && field.variant !== undefined) {
    const own = policyDefaults(field.variant as PolicyKind) as Record<string, unknown>;
    const key = doc.param.slice('delegates.reconnect.'.length);
    return field.path.endsWith('.policy') ? String(DEFAULTS.delegates.reconnect.kind) : yamlValue(field, own[key]);
  }
  return yamlValue(field, valueAt(DEFAULTS, doc.param));
}

/** One row of a run's settings in the words of a topology file. */
export interface SettingRow {
  /** the field's path in a topology file */
  path: string;
  /** the value as a topology writes it */
  value: string;
  /** whether the value is the field's default */
  isDefault: boolean;
}

/**
 * The settings of a resolved run as a topology file names them (`router.pool.pendingAcquireTimeout: 45s`), every
 * field but the timeline's, with whether each is the default. For reports: the user sees the names they write.
 */
export function topologySettings(params: PlatformParams): SettingRow[] {
  const rows: SettingRow[] = [];
  const policy = params.delegates.reconnect.kind;
  for (const field of schemaFields()) {
    if (field.path.startsWith('timeline')) continue;
    if (field.path.startsWith('delegates.reconnect.') && field.variant !== policy) continue;
    if (field.path === 'manager.serviceTimes.spread' && params.manager.serviceTimeDistribution !== 'lognormal') continue;
    const doc = fieldDoc(field.path);
    if (doc?.param === undefined) continue;
    const value = yamlValue(field, valueAt(params, doc.param));
    rows.push({ path: field.path, value, isDefault: value === fieldDefault(field) });
  }
  return rows;
}
