/**
 * Delegate: a customer-side agent that registers over REST, then holds a
 * long-lived WebSocket to the manager service through a router pod.
 *
 *   booting → offline.registering ⇄ registerWait (fixed sleep)
 *           → offline.connecting ⇄ reconnectWait (policy) → connected
 *   connected → (socket closed) → offline.reconnectWait
 *   offline for longer than the liveness budget (health cache + probes) → restarting → offline.registering
 *
 * Every connection attempt ends in exactly one outcome, recorded when the
 * delegate leaves `connecting`: established, rejected (overflow), timed out
 * (acquire timeout), failed upstream, shed (refused by the admission control
 * in front of the routers, an `admit` event), or abandoned (open timeout or
 * restart; the router is told, as a closed TCP connection would tell it).
 * Tasks offered over the socket are acquired (immediate retries), run, and
 * their result sent (retries), all over REST through a router.
 */
import { portOf } from '@stampede/kernel';
import { setup } from 'xstate';
import type { DelegateEvent, RestOp } from '../messages.ts';
import { admitWebSocket, type PlatformState, pickOne, sendRestCall } from '../platform-state.ts';
import { reconnectDelayMs } from './reconnect.ts';

export interface DelegateInput {
  platform: PlatformState;
  /** virtual time at which this delegate's pod starts */
  startAtMs: number;
}

interface Task {
  stage: 'acquire' | 'run' | 'result';
  attempts: number;
  offeredAtMs: number;
}

interface DelegateContext {
  platform: PlatformState;
  startAtMs: number;
  /** from the start of this incarnation to startAtMs (read where the port is at hand: a delay function gets no self) */
  startDelayMs: number;
  registerReq: number;
  registerRouter: string | undefined;
  wsReq: number;
  router: string | undefined;
  /** consecutive failed connection attempts */
  attempt: number;
  previousDelayMs: number;
  nextDelayMs: number;
  /** time from losing the socket until the liveness probe restarts the pod */
  livenessDelayMs: number;
  /** tasks in hand, and which REST call is for which task: made on the first task (a Map is ~190 B, and most delegates are idle) */
  tasks: Map<number, Task> | undefined;
  restForTask: Map<number, number> | undefined;
}

/** Tasks acquired later than this after being offered do not count as goodput. */
export const TASK_ACQUIRE_SLA_MS = 60_000;

type Self = Parameters<typeof portOf>[0];

function sendRest(ctx: DelegateContext, self: Self, op: RestOp): number {
  const { reqId, router } = sendRestCall(ctx.platform, portOf(self), op);
  if (op === 'register') ctx.registerRouter = router;
  return reqId;
}

function taskRest(ctx: DelegateContext, self: Self, taskId: number, op: RestOp): void {
  (ctx.restForTask ??= new Map()).set(sendRest(ctx, self, op), taskId);
}

function endTask(ctx: DelegateContext, self: Self, taskId: number, outcome: 'completed' | 'failed'): void {
  ctx.tasks?.delete(taskId);
  portOf(self).send('workload', { type: 'TASK_END', taskId, outcome });
}

export const delegate = setup({
  types: { context: {} as DelegateContext, input: {} as DelegateInput, events: {} as DelegateEvent },
  delays: {
    startDelay: ({ context }) => context.startDelayMs,
    livenessRestart: ({ context }) => context.livenessDelayMs,
    restTimeout: ({ context }) => context.platform.params.delegates.restClientTimeoutMs,
    registrationRetry: ({ context }) => context.platform.params.delegates.registrationRetryMs,
    socketOpenTimeout: ({ context }) => context.platform.params.delegates.socketOpenTimeoutMs,
    reconnectDelay: ({ context }) => context.nextDelayMs,
    podRestart: ({ context }) => context.platform.params.delegates.podRestartMs,
    heartbeatTimeout: ({ context }) => context.platform.params.delegates.heartbeatTimeoutMs,
    heartbeatInterval: ({ context }) => context.platform.params.delegates.heartbeatIntervalMs,
  },
  guards: {
    registered: ({ context, event }) => event.type === 'REST_RESULT' && event.reqId === context.registerReq && event.ok,
    registrationFailed: ({ context, event }) => event.type === 'REST_RESULT' && event.reqId === context.registerReq && !event.ok,
    currentSocket: ({ context, event }) => (event.type === 'WS_ESTABLISHED' || event.type === 'WS_FAILED') && event.reqId === context.wsReq,
    currentRouter: ({ context, event }) => event.type === 'WS_CLOSED' && (event.router === context.router || event.router === ''),
  },
  actions: {
    abandonRegistration: ({ context, self }) => {
      if (context.registerRouter !== undefined) {
        portOf(self).send(context.registerRouter, { type: 'REST_ABANDON', reqId: context.registerReq, client: self.id });
      }
    },
    planLiveness: ({ context, self }) => {
      // The health status is cached: the probe sees the socket down only when
      // the cache next refreshes (uniform over its TTL, by when it was last
      // filled), then needs `threshold` failing probes at the probe's own phase.
      const d = context.platform.params.delegates;
      const r = portOf(self).random;
      context.livenessDelayMs =
        r.uniform(0, d.healthCacheTtlMs) + d.livenessPeriodMs * d.livenessFailureThreshold + r.uniform(0, d.livenessPeriodMs);
    },
    register: ({ context, self }) => {
      context.platform.signals.registrations.add();
      context.registerReq = sendRest(context, self, 'register');
    },
    openSocket: ({ context, self }) => {
      const port = portOf(self);
      const platform = context.platform;
      platform.signals.reconnectAttempts.add();
      platform.attemptsInFlight++;
      const reqId = platform.nextReqId++;
      context.wsReq = reqId;
      if (!admitWebSocket(platform, port.now)) {
        // refused at the edge by the admission control, before any router: it fails at once
        context.router = undefined;
        port.send(self.id, { type: 'WS_FAILED', reqId, reason: 'shed' }, { latencyMs: 0 });
        return;
      }
      const router = pickOne(platform.readyRouters, port.random);
      context.router = router;
      if (router === undefined) port.send(self.id, { type: 'WS_FAILED', reqId, reason: 'router-gone' }, { latencyMs: 0 });
      else port.send(router, { type: 'WS_OPEN', reqId, client: self.id });
    },
    endAttempt: ({ context, event, self }) => {
      const s = context.platform.signals;
      context.platform.attemptsInFlight--;
      if (event.type === 'WS_ESTABLISHED') {
        s.attemptEstablished.add();
        return;
      }
      context.attempt++;
      if (event.type === 'WS_FAILED') {
        if (event.reason === 'overflow') s.attemptRejected.add();
        else if (event.reason === 'acquire-timeout') s.attemptTimedOut.add();
        else if (event.reason === 'shed') s.attemptShed.add();
        else s.attemptFailedUpstream.add();
        return;
      }
      // open timeout, or the pod restarted: the client goes away
      s.attemptAbandoned.add();
      if (context.router !== undefined) portOf(self).send(context.router, { type: 'WS_ABANDON', reqId: context.wsReq, client: self.id });
    },
    planReconnect: ({ context, self }) => {
      const d = context.platform.params.delegates;
      context.nextDelayMs = reconnectDelayMs(d.reconnect, context.attempt, context.previousDelayMs, portOf(self).random);
      context.previousDelayMs = context.nextDelayMs;
    },
    markConnected: ({ context, self }) => {
      context.attempt = 0;
      context.previousDelayMs = 0;
      connect(context.platform, self.id);
    },
    sendHeartbeat: ({ context, self }) => {
      if (context.router !== undefined) portOf(self).send(context.router, { type: 'HEARTBEAT', client: self.id });
    },
    closeSocket: ({ context, self }) => {
      // no reply for the whole timeout: the delegate closes the socket (the router sees a normal close)
      if (context.router !== undefined) portOf(self).send(context.router, { type: 'WS_ABANDON', reqId: context.wsReq, client: self.id });
    },
    markDisconnected: ({ context, self }) => {
      disconnect(context.platform, self.id);
    },
    restart: ({ context, self }) => {
      context.platform.signals.restarts.add();
      if (context.tasks !== undefined && context.tasks.size > 0) {
        portOf(self).send('workload', { type: 'TASKS_LOST', client: self.id, taskIds: [...context.tasks.keys()] });
      }
      context.tasks?.clear();
      context.restForTask?.clear();
      context.router = undefined;
    },
    acceptTask: ({ context, event, self }) => {
      if (event.type !== 'TASK_OFFER') return;
      (context.tasks ??= new Map()).set(event.taskId, { stage: 'acquire', attempts: 1, offeredAtMs: event.offeredAtMs });
      taskRest(context, self, event.taskId, 'task-acquire');
    },
    refuseTask: ({ event, self }) => {
      if (event.type === 'TASK_OFFER') portOf(self).send('workload', { type: 'TASK_END', taskId: event.taskId, outcome: 'failed' });
    },
    taskResult: ({ context, event, self }) => {
      if (event.type !== 'REST_RESULT' || context.restForTask === undefined) return;
      const taskId = context.restForTask.get(event.reqId);
      if (taskId === undefined) return;
      context.restForTask.delete(event.reqId);
      const task = context.tasks?.get(taskId);
      if (task === undefined) return;
      const p = context.platform;
      const d = p.params.delegates;
      const port = portOf(self);
      if (task.stage === 'acquire') {
        if (event.ok) {
          if (port.now - task.offeredAtMs <= TASK_ACQUIRE_SLA_MS) p.signals.tasksAcquiredInSla.add();
          task.stage = 'run';
          port.send(self.id, { type: 'TASK_RUN_DONE', taskId }, { latencyMs: port.random.lognormal(d.taskRunMedianMs, d.taskRunSigma) });
        } else if (task.attempts < d.taskAcquireAttempts) {
          task.attempts++;
          taskRest(context, self, taskId, 'task-acquire');
        } else {
          endTask(context, self, taskId, 'failed');
        }
      } else if (task.stage === 'result') {
        if (event.ok) endTask(context, self, taskId, 'completed');
        else if (task.attempts < d.taskResultAttempts) {
          task.attempts++;
          taskRest(context, self, taskId, 'task-result');
        } else endTask(context, self, taskId, 'failed');
      }
    },
    taskRunDone: ({ context, event, self }) => {
      if (event.type !== 'TASK_RUN_DONE') return;
      const task = context.tasks?.get(event.taskId);
      if (task === undefined || task.stage !== 'run') return;
      task.stage = 'result';
      task.attempts = 1;
      taskRest(context, self, event.taskId, 'task-result');
    },
  },
}).createMachine({
  id: 'delegate',
  context: ({ input, self }) => ({
    platform: input.platform,
    startAtMs: input.startAtMs,
    startDelayMs: Math.max(0, input.startAtMs - portOf(self).now),
    registerReq: -1,
    registerRouter: undefined,
    wsReq: -1,
    router: undefined,
    attempt: 0,
    previousDelayMs: 0,
    nextDelayMs: 0,
    livenessDelayMs: 0,
    tasks: undefined,
    restForTask: undefined,
  }),
  initial: 'booting',
  states: {
    booting: { after: { startDelay: 'offline' } },
    offline: {
      // the liveness probe fails while the socket is down: restart when the budget runs out
      entry: 'planLiveness',
      after: { livenessRestart: '#delegate.restarting' },
      initial: 'registering',
      states: {
        registering: {
          entry: 'register',
          on: {
            REST_RESULT: [
              { guard: 'registered', target: 'connecting' },
              { guard: 'registrationFailed', target: 'registerWait' },
            ],
          },
          after: { restTimeout: { target: 'registerWait', actions: 'abandonRegistration' } },
        },
        registerWait: { after: { registrationRetry: 'registering' } },
        connecting: {
          entry: 'openSocket',
          exit: 'endAttempt',
          on: {
            WS_ESTABLISHED: { guard: 'currentSocket', target: '#delegate.connected' },
            WS_FAILED: { guard: 'currentSocket', target: 'reconnectWait', actions: 'planReconnect' },
          },
          after: { socketOpenTimeout: { target: 'reconnectWait', actions: 'planReconnect' } },
        },
        reconnectWait: { after: { reconnectDelay: 'connecting' } },
      },
    },
    connected: {
      entry: 'markConnected',
      exit: 'markDisconnected',
      // Heartbeats are sampled: one round trip per heartbeat timeout instead of one per
      // 50 s interval. A dead path is still noticed within timeout + interval, at a
      // sixth of the messages. The heartbeats' load on the manager is heartbeatLoadPer1000.
      initial: 'healthy',
      states: {
        healthy: { after: { heartbeatTimeout: 'awaitingHeartbeat' } },
        awaitingHeartbeat: {
          entry: 'sendHeartbeat',
          on: { HEARTBEAT_ACK: 'healthy' },
          after: { heartbeatInterval: { target: '#delegate.offline.reconnectWait', actions: ['closeSocket', 'planReconnect'] } },
        },
      },
      on: {
        WS_CLOSED: { guard: 'currentRouter', target: 'offline.reconnectWait', actions: 'planReconnect' },
        TASK_OFFER: { actions: 'acceptTask' },
      },
    },
    restarting: { entry: 'restart', after: { podRestart: 'offline' } },
  },
  on: {
    REST_RESULT: { actions: 'taskResult' },
    TASK_RUN_DONE: { actions: 'taskRunDone' },
    TASK_OFFER: { actions: 'refuseTask' },
  },
});

/** Adds a delegate to the connected set (O(1) random pick for task offers). */
function connect(platform: PlatformState, id: string): void {
  if (platform.connectedIndex.has(id)) return;
  platform.connectedIndex.set(id, platform.connectedList.length);
  platform.connectedList.push(id);
  platform.signals.connected.add(1);
}

function disconnect(platform: PlatformState, id: string): void {
  const i = platform.connectedIndex.get(id);
  if (i === undefined) return;
  const last = platform.connectedList.pop()!;
  if (last !== id) {
    platform.connectedList[i] = last;
    platform.connectedIndex.set(last, i);
  }
  platform.connectedIndex.delete(id);
  platform.signals.connected.add(-1);
}
