/**
 * How big a run is, before it runs: memory and events estimated from the resolved params, so that a topology whose
 * run would not fit the machine (or would not finish) is refused up front with the estimate and the limit, rather
 * than growing past the machine's memory or running for hours.
 *
 * The per-item costs are measured, not guessed: `runPlatform` with the compiled engine on 1k / 16k / 64k delegates,
 * 400 routers, 400 managers, 3000 pipelines/min and 1000 API requests/s (10 min runs, heap after a forced GC at every
 * progress step) retained ~1.35 KB per delegate, ~2.5 KB per router or manager pod, ~1 KB per task in flight, and
 * produced ~4 events per delegate per heartbeat round (interval and timeout; 0.09 per second with the defaults, 7.8
 * with both at 1 s), ~17 events per task and ~7 per API request (15 when a load spike overloads the routers and
 * clients retry); the engine ran 0.5 to 0.75 M events per second. The costs below round these up (a run's peak is above what it retains).
 */
import type { PlatformParams } from '../params.ts';

export const RUN_SIZE_COSTS = {
  /** the engine, the model's shared state and the baseline of a Node process */
  baseBytes: 64e6,
  bytesPerDelegate: 2_048,
  bytesPerPod: 4_096,
  bytesPerTaskInFlight: 1_024,
  /** one sample of one of the ~33 time series (time and value, Float64), with room for growth */
  bytesPerSample: 40 * 16 * 2,
  /** events of one heartbeat round (interval and timeout timers, the round trip, the manager's share) */
  eventsPerHeartbeat: 4,
  eventsPerTask: 20,
  eventsPerApiRequest: 16,
} as const;

/** The largest estimate a run may have: 8 GB of memory, and half a billion events (10 to 20 minutes of simulation). */
export const RUN_SIZE_LIMITS = { bytes: 8e9, events: 5e8 } as const;

export interface RunSizeEstimate {
  bytes: number;
  events: number;
  /** what the estimate is made of, largest first, for the message that says which fields to lower */
  parts: { what: string; fields: string; bytes: number; events: number }[];
}

/** Estimates the memory (bytes) and events of running `params` once. */
export function estimateRunSize(params: PlatformParams): RunSizeEstimate {
  const c = RUN_SIZE_COSTS;
  const seconds = params.durationMs / 1_000;
  const d = params.delegates;
  const w = params.workload;
  // the timeline's load spikes multiply the workload's rates for their duration
  let loadSeconds = seconds;
  for (const e of params.timeline) {
    if (e.kind === 'load-spike') loadSeconds += ((e.factor - 1) * Math.min(e.durationMs, params.durationMs)) / 1_000;
  }
  const tasksPerSecond = (w.pipelinesPerMinute / 60) * w.tasksPerPipeline;
  // the most pods each deployment may run: its replicas, the autoscaler's limit, and what the timeline scales to
  let routers = Math.max(params.router.replicas, params.router.autoscaling.enabled ? params.router.autoscaling.maxReplicas : 0);
  let managers = params.manager.replicas;
  for (const e of params.timeline) {
    if (e.kind !== 'scale') continue;
    if (e.target === 'manager') managers = Math.max(managers, e.replicas ?? 0);
    else routers = Math.max(routers, e.replicas ?? 0, e.maxReplicas ?? 0);
  }
  const pods = routers + managers;
  const tasksTotal = tasksPerSecond * Math.max(0, loadSeconds);
  // tasks in flight: arrivals × how long a task lives (its run time, and at worst until its delegate is noticed gone)
  const taskLifeSeconds = (d.taskRunMedianMs * Math.exp((d.taskRunSigma * d.taskRunSigma) / 2) + params.manager.disconnectAfterMs) / 1_000;
  const tasksInFlight = Math.min(tasksTotal, tasksPerSecond * Math.max(1, loadSeconds / Math.max(seconds, 1e-9)) * taskLifeSeconds);
  const samples = params.durationMs / params.sampleIntervalMs + 1;
  const parts = [
    {
      what: 'delegates',
      fields: 'delegates.count, duration, delegates.heartbeatInterval',
      bytes: d.count * c.bytesPerDelegate,
      events: d.count * seconds * c.eventsPerHeartbeat * (1_000 / d.heartbeatIntervalMs + 1_000 / d.heartbeatTimeoutMs),
    },
    { what: 'pods', fields: 'router.replicas, router.autoscaling.maxReplicas, manager.replicas', bytes: pods * c.bytesPerPod, events: 0 },
    {
      what: 'tasks',
      fields: 'workload.pipelinesPerMinute, workload.tasksPerPipeline, delegates.tasks.runMedian, loadSpike, duration',
      bytes: tasksInFlight * c.bytesPerTaskInFlight,
      events: tasksTotal * c.eventsPerTask,
    },
    {
      what: 'API requests',
      fields: 'workload.apiRequestsPerSecond, loadSpike, duration',
      bytes: 0,
      events: w.apiRequestsPerSecond * Math.max(0, loadSeconds) * c.eventsPerApiRequest,
    },
    { what: 'time series', fields: 'duration, sampleInterval', bytes: samples * c.bytesPerSample, events: samples },
  ];
  parts.sort(
    (a, b) =>
      b.bytes / RUN_SIZE_LIMITS.bytes +
      b.events / RUN_SIZE_LIMITS.events -
      (a.bytes / RUN_SIZE_LIMITS.bytes + a.events / RUN_SIZE_LIMITS.events),
  );
  return { bytes: c.baseBytes + parts.reduce((s, p) => s + p.bytes, 0), events: parts.reduce((s, p) => s + p.events, 0), parts };
}

const gb = (bytes: number): string => `${Number((bytes / 1e9).toPrecision(3))} GB`;
const count = (n: number): string =>
  n >= 1e9 ? `${(n / 1e9).toPrecision(3)} billion` : n >= 1e6 ? `${(n / 1e6).toPrecision(3)} million` : String(Math.round(n));

/** The one message for a run too big to start, or undefined if it fits the limits. */
export function runSizeProblem(params: PlatformParams, limits: { bytes: number; events: number } = RUN_SIZE_LIMITS): string | undefined {
  const e = estimateRunSize(params);
  const tooMuchMemory = e.bytes > limits.bytes;
  const tooManyEvents = e.events > limits.events;
  if (!tooMuchMemory && !tooManyEvents) return undefined;
  const what = [
    tooMuchMemory ? `about ${gb(e.bytes)} of memory (the limit is ${gb(limits.bytes)})` : undefined,
    tooManyEvents ? `about ${count(e.events)} events (the limit is ${count(limits.events)}, 10 to 20 minutes of simulation)` : undefined,
  ]
    .filter((s) => s !== undefined)
    .join(' and ');
  const culprit = e.parts[0]!;
  return `expected a run that fits one machine, got a topology whose run would take ${what}: most of it is ${culprit.what}; lower ${culprit.fields}`;
}
