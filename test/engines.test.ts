/**
 * The compiled engine against xstate's interpreter on the model's machines
 * (delegate, router pod, manager pod, deployment controller, autoscaler,
 * workload), event for event.
 *
 * Each case builds two real platforms with buildPlatform (a tiny fleet, the
 * model's timings shortened so that registration, sockets, heartbeats,
 * liveness restarts, rollouts, scaling and task expiry all happen within a few
 * simulated minutes, a random pool, reconnect policy and timeline), one per
 * engine, same seed; then injects the same random messages from messages.ts
 * addressed to the running actors (request ids, task ids, clients, routers and
 * pods picked from the receiver's current context or not: both matching and
 * stale or unknown ones), advances time, and crashes and restarts actors.
 * After every step the two platforms must agree on virtual time, events fired,
 * the trace hash and count, the errors thrown, every actor's state value and
 * context (structural copies, the shared platform object replaced by a
 * marker), the platform state itself (Service endpoints, connected set,
 * request ids, signals), network counts, the engine of every actor, and the
 * pending event queue (every live entry's time, owner and envelope, in firing
 * order). Over the run: every schedule and cancel on the queue, every envelope
 * sent (sim.network.sent$), every trace record, the metrics series and the
 * rollout log. A second property leaves bigger fleets (10–25 delegates) to
 * their own rollouts and faults for 3 simulated minutes.
 *
 * buildPlatform creates its simulation itself, so `keepFullTrace` is not
 * available: the trace records are collected from `sim.trace.records$` from
 * the end of the build on; the build itself (spawns, initial states) is
 * covered by the trace hash and count, and its messages by the queue log
 * (the queue's methods are followed from the queue's first event).
 */
import { type EngineName, type Simulation, whyNotCompiled } from '@stampede/kernel';
import {
  autoscaler,
  buildPlatform,
  delegate,
  deploymentController,
  managerPod,
  type Platform,
  type PlatformParams,
  prod4Incident,
  routerPod,
  type TimelineEvent,
  workload,
} from '@stampede/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorText, logOf, nextEpoch, pending, plain, scheduleLog } from '../packages/kernel/test/engine-harness.ts';

// ---------------------------------------------------------------------------------------------
// A tiny platform with short timings
// ---------------------------------------------------------------------------------------------

const MODEL_MACHINES = { delegate, routerPod, managerPod, deploymentController, autoscaler, workload };

type Knobs = {
  delegates: number;
  pool: 'elastic' | 'fixed';
  maxConnections: number;
  pendingAcquireMaxCount: number;
  cancelAbandonedAcquires: boolean;
  staleConnectionReleaseMs: number;
  maxIdleTimeMs: number;
  reconnect: PlatformParams['delegates']['reconnect'];
  maxRouterReplicas: number;
  gate: boolean;
  timeline: TimelineEvent[];
};

const timelineEvent: fc.Arbitrary<TimelineEvent> = fc.oneof(
  fc.record({
    atMs: fc.integer({ min: 0, max: 90_000 }),
    kind: fc.constant('rollout' as const),
    target: fc.constant('router' as const),
    pool: fc.record({ mode: fc.constantFrom('fixed' as const, 'elastic' as const), maxConnections: fc.integer({ min: 1, max: 4 }) }),
    label: fc.constant('router rollout'),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 90_000 }),
    kind: fc.constant('rollout' as const),
    target: fc.constant('manager' as const),
    label: fc.constant('manager rollout'),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 120_000 }),
    kind: fc.constant('rollback' as const),
    target: fc.constantFrom('router' as const, 'manager' as const),
    label: fc.constant('rollback'),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 120_000 }),
    kind: fc.constant('kill-pod' as const),
    target: fc.constantFrom('router' as const, 'manager' as const),
    count: fc.integer({ min: 1, max: 3 }),
    label: fc.constant('kill'),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 120_000 }),
    kind: fc.constant('partition' as const),
    durationMs: fc.integer({ min: 1_000, max: 20_000 }),
    label: fc.constant('partition'),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 120_000 }),
    kind: fc.constant('latency-spike' as const),
    extraLatencyMs: fc.integer({ min: 1, max: 3_000 }),
    durationMs: fc.integer({ min: 1_000, max: 20_000 }),
    label: fc.constant('spike'),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 120_000 }),
    kind: fc.constant('load-spike' as const),
    factor: fc.constantFrom(0.5, 2, 5),
    durationMs: fc.integer({ min: 1_000, max: 30_000 }),
    label: fc.constant('load'),
  }),
  // the responder verbs: scale (replicas and, for the router, the autoscaler's limits), reconfigure, restart,
  // pause and resume (in any order: a resume of a running deployment or a second pause is ignored), admit
  fc
    .record({
      atMs: fc.integer({ min: 0, max: 120_000 }),
      target: fc.constantFrom('router' as const, 'manager' as const),
      replicas: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
      limits: fc.option(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 })), { nil: undefined }),
    })
    .map(({ atMs, target, replicas, limits }): TimelineEvent => {
      const hpa = target === 'router' && limits !== undefined ? { minReplicas: limits[0], maxReplicas: limits[0] + limits[1] } : {};
      return {
        atMs,
        kind: 'scale',
        target,
        ...(replicas !== undefined || Object.keys(hpa).length === 0 ? { replicas: replicas ?? 2 } : {}),
        ...hpa,
        label: 'scale',
      };
    }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 120_000 }),
    kind: fc.constant('reconfigure' as const),
    target: fc.constant('router' as const),
    pool: fc.record(
      {
        maxConnections: fc.integer({ min: 1, max: 6 }),
        pendingAcquireMaxCount: fc.integer({ min: 0, max: 3 }),
        pendingAcquireTimeoutMs: fc.constantFrom(1_000, 4_000),
      },
      { requiredKeys: [] },
    ),
    label: fc.constant('reconfigure'),
  }),
  fc.record({
    atMs: fc.integer({ min: 0, max: 120_000 }),
    kind: fc.constantFrom('restart' as const, 'pause' as const, 'resume' as const),
    target: fc.constantFrom('router' as const, 'manager' as const),
    label: fc.constant('responder'),
  }),
  fc
    .record({
      atMs: fc.integer({ min: 0, max: 120_000 }),
      kind: fc.constant('admit' as const),
      reconnectsPerSecond: fc.integer({ min: 0, max: 5 }),
      durationMs: fc.option(fc.integer({ min: 1_000, max: 30_000 }), { nil: undefined }),
      label: fc.constant('admit'),
    })
    .map(
      (e): TimelineEvent =>
        e.durationMs === undefined ? { atMs: e.atMs, kind: 'admit', reconnectsPerSecond: e.reconnectsPerSecond, label: e.label } : e,
    ),
);

const knobs = (delegates: fc.Arbitrary<number>): fc.Arbitrary<Knobs> =>
  fc.record({
    delegates,
    pool: fc.constantFrom('elastic' as const, 'fixed' as const),
    maxConnections: fc.integer({ min: 1, max: 5 }),
    pendingAcquireMaxCount: fc.integer({ min: 0, max: 3 }),
    cancelAbandonedAcquires: fc.boolean(),
    staleConnectionReleaseMs: fc.constantFrom(0, 4_000),
    maxIdleTimeMs: fc.constantFrom(0, 3_000),
    reconnect: fc.constantFrom<PlatformParams['delegates']['reconnect'][]>(
      { kind: 'fixed', delayMs: 1_000 },
      { kind: 'fibonacci', capMs: 8_000 },
      { kind: 'exponential-full-jitter', baseMs: 200, capMs: 6_000 },
      { kind: 'exponential-decorrelated-jitter', baseMs: 200, capMs: 6_000 },
    ),
    maxRouterReplicas: fc.integer({ min: 4, max: 7 }),
    gate: fc.boolean(),
    timeline: fc.array(timelineEvent, { maxLength: 5 }),
  });

/** prod4Incident at a tiny fleet, with every timing shortened to seconds. */
function tinyPlatform(k: Knobs): PlatformParams {
  const p = prod4Incident({ delegates: k.delegates });
  p.name = 'engines-differential';
  const d = p.delegates;
  Object.assign(d, {
    startSpreadMs: 5_000,
    reconnect: k.reconnect,
    socketOpenTimeoutMs: 3_000,
    restClientTimeoutMs: 2_000,
    registrationRetryMs: 4_000,
    heartbeatIntervalMs: 3_000,
    heartbeatTimeoutMs: 10_000,
    healthCacheTtlMs: 10_000,
    livenessPeriodMs: 2_000,
    podRestartMs: 3_000,
    taskRunMedianMs: 2_000,
  });
  Object.assign(p.router, { readinessDelayMs: 2_000, terminationGracePeriodMs: 3_000 });
  Object.assign(p.router.pool, {
    mode: k.pool,
    maxConnections: k.maxConnections,
    pendingAcquireMaxCount: k.pendingAcquireMaxCount,
    pendingAcquireTimeoutMs: 2_000,
    cancelAbandonedAcquires: k.cancelAbandonedAcquires,
    staleConnectionReleaseMs: k.staleConnectionReleaseMs,
    maxIdleTimeMs: k.maxIdleTimeMs,
  });
  Object.assign(p.router.autoscaling, {
    enabled: true,
    maxReplicas: k.maxRouterReplicas,
    targetUtilization: 0.5,
    syncPeriodMs: 3_000,
    metricLagMs: 6_000,
    scaleUpPeriodMs: 6_000,
    scaleDownStabilizationMs: 10_000,
  });
  Object.assign(p.manager, { workers: 2, readinessDelayMs: 3_000, terminationGracePeriodMs: 3_000, disconnectAfterMs: 8_000 });
  Object.assign(p.workload, { pipelinesPerMinute: 20, apiRequestsPerSecond: 0.5, clientTimeoutMs: 3_000, apiRetryDelayMs: 500 });
  p.validationGate = { enabled: k.gate, windowMs: 10_000, minConnectedFraction: 0.8, breachForMs: 4_000 };
  p.timeline = k.timeline.map((e) => structuredClone(e));
  return p;
}

// ---------------------------------------------------------------------------------------------
// Random messages, made concrete against the receiver's current context
// ---------------------------------------------------------------------------------------------

/** Numbers that pick: an actor, a message type, ids from the receiver's context (or not), values. */
interface Spec {
  target: number;
  kind: number;
  a: number;
  b: number;
  /** take ids from the receiver's current context (else stale, unknown or future ones) */
  match: boolean;
  ok: boolean;
  num: number;
  latencyMs: number | undefined;
}

type Op = { op: 'inject'; spec: Spec } | { op: 'run'; ms: number } | { op: 'crash'; target: number } | { op: 'restart'; target: number };

const spec: fc.Arbitrary<Spec> = fc.record({
  target: fc.nat(),
  kind: fc.nat(),
  a: fc.nat(),
  b: fc.nat(),
  match: fc.boolean(),
  ok: fc.boolean(),
  num: fc.integer({ min: 0, max: 6 }),
  latencyMs: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
});

const ops = (maxLength: number): fc.Arbitrary<Op[]> =>
  fc.array(
    fc.oneof(
      { weight: 8, arbitrary: fc.record({ op: fc.constant('inject' as const), spec }) },
      {
        weight: 5,
        arbitrary: fc.record({
          op: fc.constant('run' as const),
          ms: fc.oneof(
            fc.constant(0),
            fc.integer({ min: 0, max: 200 }),
            fc.integer({ min: 500, max: 10_000 }),
            fc.integer({ min: 10_000, max: 30_000 }),
          ),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('crash' as const), target: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('restart' as const), target: fc.nat() }) },
    ),
    { minLength: Math.min(10, maxLength), maxLength, size: 'max' },
  );

const keysOf = (m: unknown): unknown[] => (m instanceof Map || m instanceof Set ? [...m.keys()] : []);
const at = <T>(list: readonly T[], i: number, fallback: T): T => (list.length === 0 ? fallback : list[i % list.length]!);

/** The message `s` describes, for the actor it picks, or undefined when there is no actor. */
function concrete(sim: Simulation, platform: Platform, s: Spec): { from: string; to: string; event: { type: string } } | undefined {
  const ids = sim.actors.ids();
  if (ids.length === 0) return undefined;
  const to = at(ids, s.target, '');
  const ctx = sim.actors.get(to).getSnapshot().context as Record<string, any>;
  const state = platform.state;
  const delegates = ids.filter((id) => id.startsWith('delegate-'));
  const routers = ids.filter((id) => id.startsWith('router-'));
  const managers = ids.filter((id) => id.startsWith('manager-'));
  const pods = [...routers, ...managers];
  /** a request id: one the receiver knows (match), else an old, a random or a not yet issued one */
  const reqId = (known: unknown[]): number => {
    const ks = known.filter((k): k is number => typeof k === 'number');
    if (s.match && ks.length > 0) return at(ks, s.a, 0);
    return [state.nextReqId - 1 - (s.a % 5), s.a % 1000, state.nextReqId + s.num][s.b % 3]!;
  };
  const client = s.match && typeof ctx.client === 'string' ? ctx.client : at(delegates, s.b, 'delegate-0');
  const router = at(routers, s.b, 'router-r1-0');
  const manager = at(managers, s.a, 'manager-r1-0');
  const ops = ['register', 'task-acquire', 'task-result', 'secret', 'api'] as const;
  let from = 'test';
  let event: { type: string; [k: string]: unknown };
  if (to.startsWith('delegate-')) {
    const known = [ctx.wsReq, ctx.registerReq, ...keysOf(ctx.restForTask)];
    const taskIds = keysOf(ctx.tasks);
    const taskId = s.match && taskIds.length > 0 ? (at(taskIds, s.a, 0) as number) : s.a % 50;
    const ctxRouter = s.match && typeof ctx.router === 'string' ? ctx.router : s.ok ? '' : router;
    from = ctxRouter || router;
    event = [
      { type: 'WS_ESTABLISHED', reqId: reqId(known), router: ctxRouter || router },
      {
        type: 'WS_FAILED',
        reqId: reqId(known),
        reason: at(['overflow', 'acquire-timeout', 'upstream', 'router-gone', 'shed'], s.b, 'overflow'),
      },
      { type: 'WS_CLOSED', router: ctxRouter },
      { type: 'REST_RESULT', reqId: reqId(known), ok: s.ok },
      {
        type: 'TASK_OFFER',
        taskId: s.match ? state.nextReqId + 100_000 + s.a : taskId,
        offeredAtMs: Math.max(0, sim.now - s.num * 20_000),
      },
      { type: 'TASK_RUN_DONE', taskId },
      { type: 'HEARTBEAT_ACK', client: to },
    ][s.kind % 7]!;
  } else if (to.startsWith('router-')) {
    const pool = ctx.pool as { requests?: Map<number, { client: string }> } | undefined;
    const sessions = ctx.sessions instanceof Map ? [...(ctx.sessions as Map<string, { reqId: number; manager?: string }>).entries()] : [];
    const known = [...keysOf(pool?.requests), ...sessions.map(([, r]) => r.reqId)];
    const sessionClient = s.match && sessions.length > 0 ? at(sessions, s.a, sessions[0]!)[0] : client;
    const sessionManager = s.match && sessions.length > 0 ? (at(sessions, s.a, sessions[0]!)[1].manager ?? manager) : manager;
    from = sessionClient;
    event = [
      { type: 'WS_OPEN', reqId: s.match ? state.nextReqId + 200_000 + s.a : reqId(known), client: sessionClient },
      { type: 'WS_ABANDON', reqId: reqId(known), client: sessionClient },
      { type: 'REST_ABANDON', reqId: reqId(known), client: sessionClient },
      { type: 'HEARTBEAT', client: sessionClient },
      { type: 'HEARTBEAT_ACK', client: sessionClient },
      { type: 'REST', reqId: state.nextReqId + 300_000 + s.a, client: sessionClient, op: at(ops, s.b, 'api') },
      { type: 'UPSTREAM_DONE', reqId: reqId(known), ok: s.ok },
      { type: 'SOCKETS_CLOSED', manager: sessionManager, clients: s.match ? sessions.map(([c]) => c) : [client, sessionClient] },
      { type: 'SETUP_DONE', reqId: reqId(known) },
      { type: 'ACQUIRE_TIMEOUT', reqId: reqId(known) },
      { type: 'STALE_RELEASE', count: s.num },
      { type: 'ABANDONED_RELEASE', manager: sessionManager, client: sessionClient },
      { type: 'READY' },
      { type: 'TERMINATE' },
      { type: 'KILL' },
      {
        type: 'RECONFIGURE',
        pool: s.ok ? { maxConnections: 1 + s.num } : { pendingAcquireMaxCount: s.num, pendingAcquireTimeoutMs: 1_000 },
      },
    ][s.kind % 16]!;
  } else if (to.startsWith('manager-')) {
    const known = keysOf(ctx.jobs);
    const sessions = ctx.sessions instanceof Map ? [...(ctx.sessions as Map<string, string>).entries()] : [];
    const [sessionClient, sessionRouter] = s.match && sessions.length > 0 ? at(sessions, s.a, sessions[0]!) : [client, router];
    from = sessionRouter;
    event = [
      { type: 'UPGRADE', reqId: state.nextReqId + 400_000 + s.a, router: sessionRouter, client: sessionClient },
      { type: 'CALL', reqId: state.nextReqId + 500_000 + s.a, router: sessionRouter, client: sessionClient, op: at(ops, s.b, 'api') },
      { type: 'CANCEL', reqId: reqId(known), router: sessionRouter },
      { type: 'SESSION_CLOSE', client: sessionClient },
      { type: 'HEARTBEAT', client: sessionClient, router: sessionRouter },
      { type: 'JOB_DONE', reqId: reqId(known) },
      { type: 'EXPIRE_WORK', client: sessionClient },
      { type: 'READY' },
      { type: 'TERMINATE' },
      { type: 'KILL' },
    ][s.kind % 10]!;
  } else if (to === 'workload') {
    const known = [...keysOf(ctx.secretReqs), ...keysOf(ctx.apiReqs)];
    const taskIds = keysOf(ctx.tasks) as number[];
    const byDelegate = ctx.byDelegate instanceof Map ? [...(ctx.byDelegate as Map<string, Set<number>>).keys()] : [];
    const who = s.match && byDelegate.length > 0 ? at(byDelegate, s.a, client) : client;
    const someTasks = s.match
      ? taskIds.slice(s.a % Math.max(1, taskIds.length), (s.a % Math.max(1, taskIds.length)) + s.num)
      : [s.a % 50, s.b % 50];
    from = who;
    event = [
      { type: 'NEXT_PIPELINE' },
      { type: 'NEXT_API' },
      { type: 'REST_RESULT', reqId: reqId(known), ok: s.ok },
      { type: 'API_RETRY', reqId: reqId(known) },
      { type: 'REST_TIMEOUT', reqId: reqId(known), router },
      { type: 'TASK_END', taskId: s.match && taskIds.length > 0 ? at(taskIds, s.a, 0) : s.a % 50, outcome: s.ok ? 'completed' : 'failed' },
      { type: 'TASKS_LOST', client: who, taskIds: someTasks },
      { type: 'SOCKET_DOWN', client: who },
      { type: 'CHECK_DISCONNECTED', client: who },
      { type: 'EXPIRE_TASKS', taskIds: someTasks },
      { type: 'LOAD_FACTOR', factor: [0.5, 1, 2, 4][s.num % 4]! },
    ][s.kind % 11]!;
  } else if (to.startsWith('deploy-')) {
    const own = keysOf(ctx.pods) as string[];
    const pod = s.match && own.length > 0 ? at(own, s.a, '') : at(pods, s.a, 'router-r1-0');
    event = [
      { type: 'POD_READY', pod },
      { type: 'POD_GONE', pod },
      { type: 'TICK' },
      { type: 'ROLLOUT', label: 'injected rollout', ...(s.ok ? { pool: { mode: 'fixed', maxConnections: 1 + s.num } } : {}) },
      { type: 'ROLLBACK', label: 'injected rollback' },
      { type: 'SCALE', replicas: 1 + s.num },
      { type: 'KILL_PODS', count: s.num % 3 },
      { type: 'RESTART', label: 'injected restart' },
      { type: 'PAUSE', label: 'injected pause' },
      { type: 'RESUME', label: 'injected resume' },
      { type: 'RECONFIGURE', pool: { maxConnections: 1 + s.num }, label: 'injected reconfigure' },
    ][s.kind % 11]!;
  } else {
    event = { type: 'SYNC' }; // the autoscaler
  }
  return { from, to, event };
}

// ---------------------------------------------------------------------------------------------
// Running one side
// ---------------------------------------------------------------------------------------------

interface Run {
  observations: unknown[];
  schedules: unknown[];
  sent: unknown[];
  trace: unknown[];
  series: unknown;
  log: unknown;
}

function runUntilRecording(sim: Simulation, untilMs: number, errors: string[]): void {
  for (let tries = 0; tries < 200; tries++) {
    try {
      sim.runUntil(untilMs);
      return;
    } catch (err) {
      errors.push(`${sim.now} ms: ${errorText(err)}`);
    }
  }
  errors.push('gave up after 200 errors');
}

function observe(platform: Platform, engine: EngineName, errors: string[]): unknown {
  const { sim, state } = platform;
  const opaque = new Map<object, string>([
    [state, '[platform]'],
    [sim, '[simulation]'],
    [state.params, '[params]'],
  ]);
  expect(logOf(sim.queue).live.size, 'events the queue log follows').toBe(sim.queue.size);
  const actors = sim.actors.ids().map((id) => {
    // the engine that runs it: compiled for every model machine in a compiled simulation
    expect(sim.actors.engineOf(id), `engine of ${id}`).toBe(engine);
    const snap = sim.actors.get(id).getSnapshot() as { value: unknown; context: unknown; status: string };
    return { id, value: plain(snap.value), status: snap.status, context: plain(snap.context, opaque) };
  });
  const { params: _params, ...rest } = state;
  return {
    now: sim.now,
    fired: sim.queue.fired,
    hash: sim.trace.hash,
    records: sim.trace.count,
    errors: errors.splice(0),
    queueSize: sim.queue.size,
    nextAt: sim.queue.peekTime(),
    pending: pending(sim.queue),
    network: plain(sim.network.counts),
    platform: plain(rest, opaque),
    actors,
  };
}

function runOn(engine: EngineName, seed: number, params: PlatformParams, steps: readonly Op[], chunkMs: number): Run {
  nextEpoch();
  const platform = buildPlatform(params, seed, { engine });
  const { sim } = platform;
  const sent: unknown[] = [];
  const trace: unknown[] = [];
  sim.network.sent$.subscribe((env) => sent.push(plain(env)));
  sim.trace.records$.subscribe((r) => trace.push({ ...r }));
  const errors: string[] = [];
  const observations = [observe(platform, engine, errors)];
  for (const step of steps) {
    nextEpoch();
    try {
      if (step.op === 'inject') {
        const m = concrete(sim, platform, step.spec);
        if (m !== undefined)
          sim.send(m.from, m.to, m.event, step.spec.latencyMs === undefined ? undefined : { latencyMs: step.spec.latencyMs });
      } else if (step.op === 'run') {
        // in chunks, observing after each (a long advance is many steps of the platform)
        const until = sim.now + step.ms;
        while (sim.now < until) {
          runUntilRecording(sim, Math.min(until, sim.now + chunkMs), errors);
          if (sim.now < until) observations.push(observe(platform, engine, errors));
        }
        if (step.ms === 0) runUntilRecording(sim, sim.now, errors);
      } else {
        const ids = sim.actors.ids();
        const id = at(ids, step.target, 'nobody');
        if (step.op === 'crash') sim.actors.crash(id);
        else sim.actors.restart(id);
      }
    } catch (err) {
      errors.push(`${step.op}: ${errorText(err)}`);
    }
    observations.push(observe(platform, engine, errors));
  }
  return {
    observations,
    schedules: scheduleLog(sim.queue),
    sent,
    trace,
    series: plain(sim.metrics.series()),
    log: logOrError(platform),
  };
}

/** The rollout log (which reads the controllers: a crashed one makes it throw, the same on both engines). */
function logOrError(platform: Platform): unknown {
  try {
    return platform.log();
  } catch (err) {
    return errorText(err);
  }
}

function expectSameOnBothEngines(seed: number, params: PlatformParams, steps: readonly Op[], chunkMs = 2_000): Run {
  const compiled = runOn('compiled', seed, params, steps, chunkMs);
  const xstate = runOn('xstate', seed, params, steps, chunkMs);
  const n = Math.max(compiled.observations.length, xstate.observations.length);
  for (let i = 0; i < n; i++) {
    const o = compiled.observations[i] as { now: number } | undefined;
    expect(compiled.observations[i], `observation ${i} (at ${o?.now} ms)`).toEqual(xstate.observations[i]);
  }
  expect(compiled.schedules, 'every schedule and cancel on the event queue').toEqual(xstate.schedules);
  expect(compiled.sent, 'envelopes sent (sim.network.sent$)').toEqual(xstate.sent);
  expect(compiled.trace, 'trace records').toEqual(xstate.trace);
  expect(compiled.series, 'metrics series').toEqual(xstate.series);
  expect(compiled.log, 'rollout log').toEqual(xstate.log);
  return compiled;
}

// ---------------------------------------------------------------------------------------------

describe('compiled engine = xstate engine, event for event (model machines)', () => {
  it('the model machines compile (none falls back to xstate)', () => {
    for (const [name, logic] of Object.entries(MODEL_MACHINES)) expect(whyNotCompiled(logic), name).toBeUndefined();
  });

  it('a tiny platform under random injected messages, time advances, crashes and restarts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), knobs(fc.integer({ min: 2, max: 5 })), ops(30), (seed, k, steps) => {
        expectSameOnBothEngines(seed, tinyPlatform(k), steps);
      }),
      { numRuns: 100, seed: 20_260_306 },
    );
  });

  it('a small platform left to run its rollouts and faults: every actor, every 2 s, for 3 simulated minutes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), knobs(fc.integer({ min: 10, max: 25 })), (seed, k) => {
        expectSameOnBothEngines(seed, tinyPlatform(k), [{ op: 'run', ms: 180_000 }]);
      }),
      { numRuns: 12, seed: 7 },
    );
  });

  it('every model machine runs, compiled, in the compiled platform', () => {
    const k: Knobs = {
      delegates: 5,
      pool: 'fixed',
      maxConnections: 2,
      pendingAcquireMaxCount: 1,
      cancelAbandonedAcquires: false,
      staleConnectionReleaseMs: 4_000,
      maxIdleTimeMs: 0,
      reconnect: { kind: 'fixed', delayMs: 1_000 },
      maxRouterReplicas: 6,
      gate: false,
      timeline: [{ atMs: 20_000, kind: 'rollout', target: 'router', pool: { mode: 'fixed', maxConnections: 1 }, label: 'roll' }],
    };
    const run = expectSameOnBothEngines(3, tinyPlatform(k), [{ op: 'run', ms: 60_000 }], 10_000);
    const last = run.observations.at(-1) as { actors: { id: string; value: unknown }[] };
    const kinds = new Set(last.actors.map((a) => a.id.replace(/-r?\d.*$/, '')));
    expect([...kinds].sort()).toEqual(['autoscaler', 'delegate', 'deploy-manager', 'deploy-router', 'manager', 'router', 'workload']);
    // and the platform did something: delegates connected through routers
    expect(last.actors.filter((a) => a.id.startsWith('delegate-') && JSON.stringify(a.value).includes('connected')).length).toBeGreaterThan(
      0,
    );
  });
});
