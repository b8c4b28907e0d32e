/**
 * Router pod: the routing layer between delegates and manager pods.
 *
 * Every client request needs an upstream connection from the pod's pool
 * (router-pool.ts). A WebSocket upgrade takes a slot, spends the setup cost,
 * asks a manager pod to accept the upgrade, and then pins the slot for the
 * socket's life; a REST call holds a slot for its service time. With a fixed
 * pool, acquires wait in a FIFO for at most the acquire timeout, and overflow
 * is rejected. The switches that can sustain a storm are here:
 * `cancelAbandonedAcquires` (does a client that gave up free its acquire and
 * its upstream work?) and `staleConnectionReleaseMs` (how long the slot of a
 * socket whose manager pod terminated stays taken).
 *
 * Lifecycle: starting → ready (in the Service endpoints) → draining (out of
 * the endpoints, serving what it has) → gone (closes every socket).
 */
import { type ActorPort, bindForFork, portOf, type RandomStream } from '@stampede/kernel';
import { setup } from 'xstate';
import type { ControllerEvent, DelegateEvent, ManagerEvent, RouterEvent, WorkloadEvent } from '../messages.ts';
import type { PoolParams } from '../params.ts';
import { type PlatformState, pickOne } from '../platform-state.ts';
import { type PoolRequest, RouterPool } from './router-pool.ts';

export interface RouterPodInput {
  platform: PlatformState;
  pool: PoolParams;
  /** who to tell when the pod is ready and when it is gone */
  controller: string;
}

interface RouterContext {
  platform: PlatformState;
  /** the pod's kernel port: virtual time, and what its send is bound to */
  port: ActorPort;
  controller: string;
  pool: RouterPool;
  /** open sockets by client */
  sessions: Map<string, PoolRequest>;
  /** upstream sockets opened for clients that left, per manager pod (they close with it) */
  abandonedByManager: Map<string, number>;
  /**
   * the same upstream sockets one by one, with when each was pinned and when maxIdleTime evicts it (undefined: never),
   * so that a reload of maxIdleTime applies to those already pinned (an eviction sweep measures each one's idle time)
   */
  pins: Map<number, { manager: string; client: string; atMs: number; releaseAtMs: number | undefined }>;
  nextPin: number;
  /** made on first use by sender() */
  send: Send | undefined;
}

type Send = (to: string, event: RouterEvent | ManagerEvent | DelegateEvent | WorkloadEvent | ControllerEvent, latencyMs?: number) => void;

const sendThrough = (port: ActorPort, to: string, event: { type: string }, latencyMs?: number): void =>
  port.send(to, event, latencyMs === undefined ? undefined : { latencyMs });

/** The pod's send function, made once per pod (not per action); bound to the port, so that a fork re-binds it to its copy. */
function sender(ctx: RouterContext): Send {
  return (ctx.send ??= bindForFork(sendThrough, undefined, ctx.port) as Send);
}

function failRequest(send: Send, req: PoolRequest, reason: 'overflow' | 'acquire-timeout' | 'upstream' | 'router-gone'): void {
  if (req.abandoned) return; // nobody is listening
  if (req.kind === 'ws') send(req.client, { type: 'WS_FAILED', reqId: req.reqId, reason });
  else send(req.client, { type: 'REST_RESULT', reqId: req.reqId, ok: false });
}

/** Gives a slot to `req` and starts its upstream work. */
function grant(ctx: RouterContext, self: string, send: Send, req: PoolRequest, draw: RandomStream): void {
  ctx.pool.take(req);
  if (req.kind === 'ws') {
    const setupMs = ctx.pool.params.connectionSetupMs;
    send(self, { type: 'SETUP_DONE', reqId: req.reqId }, setupMs);
    return;
  }
  forwardUpstream(ctx, self, send, req, draw);
}

function forwardUpstream(ctx: RouterContext, self: string, send: Send, req: PoolRequest, draw: RandomStream): void {
  const manager = pickOne(ctx.platform.readyManagers, draw);
  if (manager === undefined) {
    finish(ctx, self, send, req, false, draw);
    return;
  }
  req.manager = manager;
  req.stage = 'upstream';
  // work for the autoscaler's CPU metric, counted while the pod is measured (ready, not yet draining)
  if (ctx.platform.routerPools.has(self)) ctx.pool.handled++;
  if (req.kind === 'ws') send(manager, { type: 'UPGRADE', reqId: req.reqId, router: self, client: req.client });
  else send(manager, { type: 'CALL', reqId: req.reqId, router: self, client: req.client, op: req.op! });
}

/** Upstream work ended (ok or not): open the socket, or answer and free the slot. */
function finish(ctx: RouterContext, self: string, send: Send, req: PoolRequest, ok: boolean, draw: RandomStream): void {
  const pool = ctx.pool;
  if (req.kind === 'ws' && ok) {
    if (req.abandoned) {
      // The upgrade was done for a client that left: wasted manager work, and
      // nobody tells the upstream socket to close. It pins its slot until its
      // manager pod or this router pod goes away, or maxIdleTime evicts it (0 by
      // default: never).
      ctx.platform.signals.wastedUpgrades.add();
      pool.pinAbandoned(req);
      pool.requests.delete(req.reqId);
      ctx.abandonedByManager.set(req.manager!, (ctx.abandonedByManager.get(req.manager!) ?? 0) + 1);
      const idleMs = pool.params.maxIdleTimeMs;
      const pin = ++ctx.nextPin;
      const now = ctx.port.now;
      ctx.pins.set(pin, { manager: req.manager!, client: req.client, atMs: now, releaseAtMs: idleMs > 0 ? now + idleMs : undefined });
      if (idleMs > 0) send(self, { type: 'ABANDONED_RELEASE', manager: req.manager!, client: req.client, pin }, idleMs);
      return;
    } else {
      pool.open(req);
      const previous = ctx.sessions.get(req.client);
      if (previous !== undefined) closeSession(ctx, send, previous, false);
      ctx.sessions.set(req.client, req);
      pool.requests.delete(req.reqId);
      send(req.client, { type: 'WS_ESTABLISHED', reqId: req.reqId, router: self });
      // the replaced socket's slot goes to the oldest waiting acquire at once, as any released connection does
      // in reactor-pool (release → SimpleDequePool.drain), not when something else next frees a slot
      if (previous !== undefined) pump(ctx, self, send, draw);
      return;
    }
  }
  pool.release(req);
  pool.requests.delete(req.reqId);
  req.stage = 'ended';
  if (req.kind === 'rest') {
    if (!req.abandoned) send(req.client, { type: 'REST_RESULT', reqId: req.reqId, ok });
  } else if (!ok) {
    failRequest(send, req, 'upstream');
  }
  pump(ctx, self, send, draw);
}

function closeSession(ctx: RouterContext, send: Send, req: PoolRequest, notifyClient: boolean): void {
  ctx.pool.release(req);
  req.stage = 'ended';
  ctx.sessions.delete(req.client);
  if (req.manager !== undefined) send(req.manager, { type: 'SESSION_CLOSE', client: req.client });
  if (notifyClient) send(req.client, { type: 'WS_CLOSED', router: '' });
}

/** Hands freed slots to pending acquires, oldest first (abandoned or not: the pool cannot tell unless it cancels). */
function pump(ctx: RouterContext, self: string, send: Send, draw: RandomStream): void {
  const pool = ctx.pool;
  while (pool.pendingCount > 0 && pool.hasFreeSlot()) {
    const next = pool.dequeue();
    if (next === undefined) break;
    grant(ctx, self, send, next, draw);
  }
}

function acquire(ctx: RouterContext, self: string, send: Send, req: PoolRequest, draw: RandomStream): void {
  const pool = ctx.pool;
  pool.requests.set(req.reqId, req);
  if (pool.hasFreeSlot()) {
    grant(ctx, self, send, req, draw);
  } else if (pool.canQueue()) {
    pool.enqueue(req);
    // reactor-pool (SimpleDequePool.pendingOffer) starts the pending-acquire timer only for a borrower that has
    // to wait, as here, and none for a timeout of zero (`!pendingAcquireTimeout.isZero()`; Pool.acquire() passes
    // Duration.ZERO): such an acquire waits until it is served. Served, the timer is moot (stage is no longer pending).
    if (pool.params.pendingAcquireTimeoutMs > 0)
      send(self, { type: 'ACQUIRE_TIMEOUT', reqId: req.reqId }, pool.params.pendingAcquireTimeoutMs);
  } else {
    // past pendingAcquireMaxCount the newcomer fails at once and the queue keeps its order (reactor-pool's
    // SimpleDequePool.pendingOffer culls `pendingQueue.pollLast()`, the borrower just offered)
    ctx.platform.signals.overflowRejections.add();
    pool.requests.delete(req.reqId);
    failRequest(send, req, 'overflow');
  }
}

export const routerPod = setup({
  types: {
    context: {} as RouterContext,
    input: {} as RouterPodInput,
    events: {} as RouterEvent,
  },
  delays: {
    readiness: ({ context }) => context.platform.params.router.readinessDelayMs,
    grace: ({ context }) => context.platform.params.router.terminationGracePeriodMs,
  },
  actions: {
    announceReady: ({ context, self }) => {
      context.platform.readyRouters.push(self.id);
      context.platform.routerPools.set(self.id, context.pool);
      const pool = context.pool.params;
      portOf(self).log.info(
        { pool: pool.mode, maxConnections: pool.mode === 'fixed' ? pool.maxConnections : undefined },
        `ready, ${pool.mode === 'fixed' ? `fixed pool of ${pool.maxConnections} connections` : 'elastic pool'}`,
      );
      sender(context)(context.controller, { type: 'POD_READY', pod: self.id });
    },
    leaveEndpoints: ({ context, self }) => {
      const list = context.platform.readyRouters;
      const i = list.indexOf(self.id);
      if (i >= 0) list.splice(i, 1);
      // Terminating from here on (a deletionTimestamp, in Kubernetes' words): out of the pools the autoscaler measures,
      // as the HPA's groupPods ignores pods being deleted. The pool itself keeps serving until the pod is gone.
      context.platform.routerPools.delete(self.id);
    },
    open: ({ context, event, self }) => {
      if (event.type !== 'WS_OPEN' && event.type !== 'REST') return;
      const req: PoolRequest = {
        reqId: event.reqId,
        kind: event.type === 'WS_OPEN' ? 'ws' : 'rest',
        client: event.client,
        op: event.type === 'REST' ? event.op : undefined,
        stage: 'pending',
        abandoned: false,
        manager: undefined,
        holdsSlot: false,
      };
      if (req.kind === 'rest') context.platform.signals.restCalls.add();
      acquire(context, self.id, sender(context), req, portOf(self).random);
    },
    refuse: ({ context, event }) => {
      if (event.type === 'WS_OPEN') sender(context)(event.client, { type: 'WS_FAILED', reqId: event.reqId, reason: 'router-gone' });
      if (event.type === 'REST') sender(context)(event.client, { type: 'REST_RESULT', reqId: event.reqId, ok: false });
    },
    setupDone: ({ context, event, self }) => {
      if (event.type !== 'SETUP_DONE') return;
      const req = context.pool.requests.get(event.reqId);
      if (req === undefined || req.stage !== 'setup') return;
      forwardUpstream(context, self.id, sender(context), req, portOf(self).random);
    },
    upstreamDone: ({ context, event, self }) => {
      if (event.type !== 'UPSTREAM_DONE') return;
      const req = context.pool.requests.get(event.reqId);
      if (req === undefined || req.stage !== 'upstream') return;
      finish(context, self.id, sender(context), req, event.ok, portOf(self).random);
    },
    abandon: ({ context, event, self }) => {
      if (event.type !== 'WS_ABANDON' && event.type !== 'REST_ABANDON') return;
      const pool = context.pool;
      const req = pool.requests.get(event.reqId);
      if (req === undefined) {
        // the socket opened while the client was giving up: a normal close, which every router notices
        const open = context.sessions.get(event.client);
        if (open !== undefined && open.reqId === event.reqId) {
          closeSession(context, sender(context), open, false);
          pump(context, self.id, sender(context), portOf(self).random);
        }
        return;
      }
      req.abandoned = true;
      const cancels = pool.params.mode === 'elastic' || pool.params.cancelAbandonedAcquires;
      if (!cancels) return; // the acquire stays queued, and will be served for nobody
      const send = sender(context);
      // as reactor-pool's Borrower.cancel: a pending acquire leaves the queue (SimpleDequePool.cancelAcquire), and
      // one already given a slot releases it at once (Borrower.deliver releases the slot of a cancelled borrower)
      if (req.stage === 'pending') pool.unqueue(req);
      if (req.stage === 'upstream' && req.manager !== undefined) send(req.manager, { type: 'CANCEL', reqId: req.reqId, router: self.id });
      pool.release(req);
      pool.requests.delete(req.reqId);
      req.stage = 'ended';
      pump(context, self.id, send, portOf(self).random);
    },
    acquireTimeout: ({ context, event }) => {
      if (event.type !== 'ACQUIRE_TIMEOUT') return;
      const pool = context.pool;
      const req = pool.requests.get(event.reqId);
      if (req === undefined || req.stage !== 'pending') return;
      pool.unqueue(req);
      pool.requests.delete(req.reqId);
      context.platform.signals.acquireTimeouts.add();
      failRequest(sender(context), req, 'acquire-timeout');
    },
    socketsClosed: ({ context, event, self }) => {
      if (event.type !== 'SOCKETS_CLOSED') return;
      const send = sender(context);
      let staled = 0;
      for (const client of event.clients) {
        const req = context.sessions.get(client);
        if (req === undefined || req.manager !== event.manager) continue;
        context.sessions.delete(client);
        context.pool.turnStale(req);
        staled++;
        send(client, { type: 'WS_CLOSED', router: self.id });
      }
      // upstream sockets of clients that left close with the pod too, and turn stale the same way
      const abandoned = context.abandonedByManager.get(event.manager) ?? 0;
      if (abandoned > 0) {
        context.abandonedByManager.delete(event.manager);
        for (const [id, pin] of context.pins) if (pin.manager === event.manager) context.pins.delete(id);
        for (let i = 0; i < abandoned; i++) context.pool.releaseAbandoned();
        context.pool.addStale(abandoned);
        staled += abandoned;
      }
      if (staled === 0) return;
      const delay = context.pool.params.staleConnectionReleaseMs;
      if (delay > 0) send(self.id, { type: 'STALE_RELEASE', count: staled } as RouterEvent, delay);
      else context.pool.releaseStale(staled);
      pump(context, self.id, send, portOf(self).random);
    },
    heartbeat: ({ context, event, self }) => {
      const send = sender(context);
      if (event.type === 'HEARTBEAT') {
        const open = context.sessions.get(event.client);
        if (open?.manager !== undefined) send(open.manager, { type: 'HEARTBEAT', client: event.client, router: self.id });
      } else if (event.type === 'HEARTBEAT_ACK' && context.sessions.has(event.client)) {
        send(event.client, { type: 'HEARTBEAT_ACK', client: event.client });
      }
    },
    abandonedRelease: ({ context, event, self }) => {
      if (event.type !== 'ABANDONED_RELEASE') return;
      const left = context.abandonedByManager.get(event.manager) ?? 0;
      if (left === 0) return; // already closed with its manager pod
      if (event.pin !== undefined) {
        const pin = context.pins.get(event.pin);
        // gone with its manager pod, or evicted by another timer (a reload of maxIdleTime moved or cancelled this one)
        if (pin === undefined || pin.releaseAtMs === undefined || context.port.now < pin.releaseAtMs - 1e-6) return;
        context.pins.delete(event.pin);
      }
      context.abandonedByManager.set(event.manager, left - 1);
      context.pool.releaseAbandoned();
      const send = sender(context);
      send(event.manager, { type: 'SESSION_CLOSE', client: event.client });
      pump(context, self.id, send, portOf(self).random);
    },
    reconfigure: ({ context, event, self }) => {
      if (event.type !== 'RECONFIGURE') return;
      const settings = event.pool as Partial<PoolParams>;
      context.pool.reconfigure(settings);
      if (settings.maxIdleTimeMs !== undefined) {
        // idle eviction measures each pinned socket's idle time (since it was pinned: it carries nothing) against the
        // new maxIdleTime: those idle longer go at once, the others when they reach it; 0 evicts none any more
        const now = context.port.now;
        const send = sender(context);
        for (const [id, pin] of context.pins) {
          pin.releaseAtMs = settings.maxIdleTimeMs > 0 ? pin.atMs + settings.maxIdleTimeMs : undefined;
          if (pin.releaseAtMs !== undefined) {
            send(
              self.id,
              { type: 'ABANDONED_RELEASE', manager: pin.manager, client: pin.client, pin: id },
              Math.max(0, pin.releaseAtMs - now),
            );
          }
        }
      }
      const pool = context.pool.params;
      portOf(self).log.info(
        { maxConnections: pool.maxConnections, pendingAcquireTimeoutMs: pool.pendingAcquireTimeoutMs },
        `pool reconfigured in place: ${pool.mode === 'fixed' ? `${pool.maxConnections} connections, ${context.pool.occupied} held` : 'elastic'}`,
      );
      // a raised limit serves the waiting acquires at once, oldest first; a lowered one evicts nothing
      pump(context, self.id, sender(context), portOf(self).random);
    },
    staleRelease: ({ context, event, self }) => {
      // a pod gone before the release released its stale slots with everything else (closeEverything): a
      // release still on its way finds none left, and must not count them again (the fleet's stale count went negative)
      const count = Math.min((event as { count?: number }).count ?? 0, context.pool.stale);
      context.pool.releaseStale(count);
      pump(context, self.id, sender(context), portOf(self).random);
    },
    closeEverything: ({ context, self }) => {
      const send = sender(context);
      const pool = context.pool;
      portOf(self).log.info(
        { sockets: context.sessions.size, pending: pool.pendingCount },
        `gone: closing ${context.sessions.size} delegate sockets, failing ${pool.pendingCount} pending acquires`,
      );
      for (const req of pool.drainPending()) failRequest(send, req, 'router-gone');
      for (const req of [...context.sessions.values()]) closeSession(context, send, req, true);
      for (const req of pool.requests.values()) {
        if (req.stage === 'upstream' && req.manager !== undefined) send(req.manager, { type: 'CANCEL', reqId: req.reqId, router: self.id });
        pool.release(req);
        failRequest(send, req, 'router-gone');
      }
      pool.requests.clear();
      if (pool.stale > 0) pool.releaseStale(pool.stale);
      while (pool.abandoned > 0) pool.releaseAbandoned();
      context.abandonedByManager.clear();
      context.pins.clear();
      pool.retire();
      context.platform.routerPools.delete(self.id);
      send(context.controller, { type: 'POD_GONE', pod: self.id });
    },
  },
}).createMachine({
  id: 'router-pod',
  context: ({ input, self }) => ({
    platform: input.platform,
    port: portOf(self),
    controller: input.controller,
    pool: new RouterPool(input.pool, input.platform, portOf(self)),
    sessions: new Map(),
    abandonedByManager: new Map(),
    pins: new Map(),
    nextPin: 0,
    send: undefined,
  }),
  initial: 'starting',
  states: {
    starting: {
      after: { readiness: 'ready' },
      on: { WS_OPEN: { actions: 'refuse' }, REST: { actions: 'refuse' }, TERMINATE: 'gone', RECONFIGURE: { actions: 'reconfigure' } },
    },
    ready: {
      entry: 'announceReady',
      on: { WS_OPEN: { actions: 'open' }, REST: { actions: 'open' }, TERMINATE: 'draining', RECONFIGURE: { actions: 'reconfigure' } },
    },
    draining: {
      entry: 'leaveEndpoints',
      // a draining pod still serves what it holds and what waits: its pool takes a reload too
      on: { WS_OPEN: { actions: 'refuse' }, REST: { actions: 'refuse' }, RECONFIGURE: { actions: 'reconfigure' } },
      after: { grace: 'gone' },
    },
    gone: { entry: ['leaveEndpoints', 'closeEverything'], on: { KILL: {}, TERMINATE: {} } },
  },
  on: {
    KILL: '.gone',
    SETUP_DONE: { actions: 'setupDone' },
    UPSTREAM_DONE: { actions: 'upstreamDone' },
    WS_ABANDON: { actions: 'abandon' },
    REST_ABANDON: { actions: 'abandon' },
    ACQUIRE_TIMEOUT: { actions: 'acquireTimeout' },
    SOCKETS_CLOSED: { actions: 'socketsClosed' },
    STALE_RELEASE: { actions: 'staleRelease' },
    ABANDONED_RELEASE: { actions: 'abandonedRelease' },
    HEARTBEAT: { actions: 'heartbeat' },
    HEARTBEAT_ACK: { actions: 'heartbeat' },
  },
});
