/**
 * Manager pod (delegate-manager): accepts WebSocket upgrades and REST work
 * with a bounded number of workers, holds sessions, and on termination closes
 * every socket it holds after the grace period.
 *
 * A job holds its worker for its service time: the stated time, or a draw around it (`serviceTimeDistribution`).
 *
 * Work is served FIFO. A job whose request was cancelled (the router
 * propagated the client's departure) is skipped at no cost; one that was not
 * cancelled is served in full, even if nobody waits for it any more. Heartbeat
 * handling takes a share of the workers that grows with the sessions held.
 */
import { portOf, type RandomStream } from '@stampede/kernel';
import { setup } from 'xstate';
import type { ManagerEvent, RestOp } from '../messages.ts';
import type { ManagerParams } from '../params.ts';
import type { PlatformState } from '../platform-state.ts';

export interface ManagerPodInput {
  platform: PlatformState;
  controller: string;
}

interface Job {
  reqId: number;
  router: string;
  client: string;
  kind: 'upgrade' | 'rest' | 'expire';
  op: RestOp | undefined;
  cancelled: boolean;
}

interface ManagerContext {
  platform: PlatformState;
  controller: string;
  queue: Job[];
  head: number;
  /** jobs in service and queued, by request id (for CANCEL) */
  jobs: Map<number, Job>;
  busy: number;
  /** open sockets: client → router */
  sessions: Map<string, string>;
  /** negative ids for internal expire jobs */
  expireSeq: number;
}

/** The stated service time of a job (the topology's `manager.serviceTimes`). */
const statedServiceMs = (p: ManagerParams, job: Job): number => {
  if (job.kind === 'upgrade') return p.upgradeServiceMs;
  if (job.kind === 'expire') return p.expireServiceMs;
  return job.op === 'register' ? p.registrationServiceMs : p.restServiceMs;
};

/**
 * One job's service time around the stated `ms`, from the pod's own stream: `fixed` draws nothing (so a fixed run
 * keeps its trace hash), `exponential` has mean `ms`, `lognormal` median `ms` and σ `serviceTimeSpread` (the
 * kernel's samplers, as the delegate's task run time). A stated 0 stays 0.
 */
export function drawServiceMs(p: ManagerParams, ms: number, random: RandomStream): number {
  if (p.serviceTimeDistribution === 'fixed' || ms <= 0) return ms;
  if (p.serviceTimeDistribution === 'exponential') return random.exponential(ms);
  return random.lognormal(ms, p.serviceTimeSpread);
}

const workerLimit = (ctx: ManagerContext): number => {
  const p = ctx.platform.params.manager;
  const heartbeatWorkers = Math.floor((ctx.sessions.size / 1000) * p.heartbeatLoadPer1000);
  return Math.max(1, p.workers - heartbeatWorkers);
};

/** Starts queued jobs while workers are free. */
function serve(ctx: ManagerContext, selfId: string, port: ReturnType<typeof portOf>): void {
  const limit = workerLimit(ctx);
  const p = ctx.platform.params.manager;
  while (ctx.busy < limit && ctx.head < ctx.queue.length) {
    const job = ctx.queue[ctx.head++]!;
    ctx.platform.signals.managerQueue.add(-1);
    if (job.cancelled) {
      ctx.jobs.delete(job.reqId);
      continue;
    }
    ctx.busy++;
    port.send(selfId, { type: 'JOB_DONE', reqId: job.reqId }, { latencyMs: drawServiceMs(p, statedServiceMs(p, job), port.random) });
  }
  if (ctx.head > 1024 && ctx.head * 2 > ctx.queue.length) {
    ctx.queue = ctx.queue.slice(ctx.head);
    ctx.head = 0;
  }
}

function enqueue(ctx: ManagerContext, job: Job): void {
  ctx.queue.push(job);
  if (job.kind !== 'expire') ctx.jobs.set(job.reqId, job);
  ctx.platform.signals.managerQueue.add(1);
}

export const managerPod = setup({
  types: { context: {} as ManagerContext, input: {} as ManagerPodInput, events: {} as ManagerEvent },
  delays: {
    readiness: ({ context }) => context.platform.params.manager.readinessDelayMs,
    grace: ({ context }) => context.platform.params.manager.terminationGracePeriodMs,
  },
  actions: {
    announceReady: ({ context, self }) => {
      context.platform.readyManagers.push(self.id);
      portOf(self).log.info('ready');
      portOf(self).send(context.controller, { type: 'POD_READY', pod: self.id });
    },
    leaveEndpoints: ({ context, self }) => {
      const list = context.platform.readyManagers;
      const i = list.indexOf(self.id);
      if (i >= 0) list.splice(i, 1);
    },
    accept: ({ context, event, self }) => {
      if (event.type === 'UPGRADE') {
        enqueue(context, {
          reqId: event.reqId,
          router: event.router,
          client: event.client,
          kind: 'upgrade',
          op: undefined,
          cancelled: false,
        });
      } else if (event.type === 'CALL') {
        enqueue(context, { reqId: event.reqId, router: event.router, client: event.client, kind: 'rest', op: event.op, cancelled: false });
      } else if (event.type === 'EXPIRE_WORK') {
        enqueue(context, { reqId: --context.expireSeq, router: '', client: event.client, kind: 'expire', op: undefined, cancelled: false });
      }
      serve(context, self.id, portOf(self));
    },
    refuse: ({ event, self }) => {
      if (event.type === 'UPGRADE' || event.type === 'CALL')
        portOf(self).send(event.router, { type: 'UPSTREAM_DONE', reqId: event.reqId, ok: false });
    },
    cancel: ({ context, event }) => {
      if (event.type !== 'CANCEL') return;
      const job = context.jobs.get(event.reqId);
      if (job !== undefined) job.cancelled = true;
    },
    jobDone: ({ context, event, self }) => {
      if (event.type !== 'JOB_DONE') return;
      context.busy--;
      const job = context.jobs.get(event.reqId);
      const port = portOf(self);
      if (job !== undefined) {
        context.jobs.delete(event.reqId);
        if (!job.cancelled) {
          if (job.kind === 'upgrade') context.sessions.set(job.client, job.router);
          port.send(job.router, { type: 'UPSTREAM_DONE', reqId: job.reqId, ok: true });
        }
      }
      serve(context, self.id, port);
    },
    heartbeat: ({ context, event, self }) => {
      if (event.type === 'HEARTBEAT' && context.sessions.has(event.client)) {
        portOf(self).send(event.router, { type: 'HEARTBEAT_ACK', client: event.client });
      }
    },
    sessionClose: ({ context, event, self }) => {
      if (event.type !== 'SESSION_CLOSE') return;
      if (context.sessions.delete(event.client)) {
        portOf(self).send('workload', { type: 'SOCKET_DOWN', client: event.client }, { latencyMs: 0 });
      }
    },
    closeEverything: ({ context, self }) => {
      const port = portOf(self);
      port.log.info(
        { sockets: context.sessions.size, queued: context.queue.length - context.head },
        `gone: closing ${context.sessions.size} delegate sockets, dropping ${context.queue.length - context.head} queued jobs`,
      );
      // one close message per router, listing its clients
      const byRouter = new Map<string, string[]>();
      for (const [client, router] of context.sessions) {
        let list = byRouter.get(router);
        if (list === undefined) byRouter.set(router, (list = []));
        list.push(client);
        port.send('workload', { type: 'SOCKET_DOWN', client }, { latencyMs: 0 });
      }
      for (const [router, clients] of byRouter) port.send(router, { type: 'SOCKETS_CLOSED', manager: self.id, clients });
      context.sessions.clear();
      for (const job of context.jobs.values()) {
        if (!job.cancelled && job.kind !== 'expire') port.send(job.router, { type: 'UPSTREAM_DONE', reqId: job.reqId, ok: false });
      }
      context.platform.signals.managerQueue.add(-(context.queue.length - context.head));
      context.jobs.clear();
      context.queue = [];
      context.head = 0;
      port.send(context.controller, { type: 'POD_GONE', pod: self.id });
    },
  },
}).createMachine({
  id: 'manager-pod',
  context: ({ input }) => ({
    platform: input.platform,
    controller: input.controller,
    queue: [],
    head: 0,
    jobs: new Map(),
    busy: 0,
    sessions: new Map(),
    expireSeq: 0,
  }),
  initial: 'starting',
  states: {
    starting: { after: { readiness: 'ready' }, on: { UPGRADE: { actions: 'refuse' }, CALL: { actions: 'refuse' }, TERMINATE: 'gone' } },
    ready: {
      entry: 'announceReady',
      on: { UPGRADE: { actions: 'accept' }, CALL: { actions: 'accept' }, EXPIRE_WORK: { actions: 'accept' }, TERMINATE: 'draining' },
    },
    // out of the endpoints, still serving its queue and its sockets until the grace period ends
    draining: {
      entry: 'leaveEndpoints',
      on: { UPGRADE: { actions: 'accept' }, CALL: { actions: 'accept' } },
      after: { grace: 'gone' },
    },
    gone: {
      entry: ['leaveEndpoints', 'closeEverything'],
      on: { UPGRADE: { actions: 'refuse' }, CALL: { actions: 'refuse' }, KILL: {}, TERMINATE: {} },
    },
  },
  on: {
    KILL: '.gone',
    CANCEL: { actions: 'cancel' },
    JOB_DONE: { actions: 'jobDone' },
    SESSION_CLOSE: { actions: 'sessionClose' },
    HEARTBEAT: { actions: 'heartbeat' },
  },
});
