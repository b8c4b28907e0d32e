/**
 * The router pod's connection pool held to reactor-pool's semantics (the pool under Reactor Netty's
 * ConnectionProvider; reactor/reactor-pool, SimpleDequePool and AbstractPool.Borrower), one behaviour per test.
 *
 * One router pod is driven on its own over a network of fixed 1 ms latency: clients are recorders, the manager
 * a stub that answers every UPGRADE and CALL after a fixed service time and records what it is sent. Each test
 * sends acquires at chosen moments and asserts when each was served, failed or rejected — so each fails if the
 * pool serves, times out, rejects or releases at another moment than reactor-pool would.
 *
 * The semantics, from the source:
 * 1. SimpleDequePool.pendingOffer starts the pendingAcquireTimer only when the borrower has to wait
 *    (idle + permits < pending), and drainLoop stops it (Borrower.stopPendingCountdown) when it serves the borrower:
 *    an acquire served at once never times out, a waiting one times out pendingAcquireTimeout after it began to wait.
 *    A timeout of Duration.ZERO starts no timer at all (Pool.acquire() passes ZERO): it waits as long as it takes.
 * 2. Past maxPending, pendingOffer fails the newest borrower (pendingQueue.pollLast()) at once; with maxPending 0
 *    every acquire that finds no idle connection and no permit fails at once.
 * 3. Borrower.deliver releases the slot at once when the borrower was cancelled (the model: a client that left,
 *    with cancelAbandonedAcquires on; off, the abandon never reaches the pool — the model's assumption).
 * 4. Borrower.cancel → SimpleDequePool.cancelAcquire removes a pending borrower from the queue: its place is free.
 * 5. A released connection goes through drainLoop to the oldest pending borrower at once.
 */
import { createSimulation, portOf } from '@stampede/kernel';
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { routerPod } from '../src/actors/router-pod.ts';
import { defaultParams } from '../src/defaults.ts';
import type { RouterEvent } from '../src/messages.ts';
import type { PoolParams } from '../src/params.ts';
import { createPlatformState, type PlatformState } from '../src/platform-state.ts';

interface Received {
  atMs: number;
  to: string;
  event: { type: string; reqId?: number; reason?: string; ok?: boolean };
}

/** Records every event it receives, with the time. */
const recorder = setup({
  types: { context: {} as { log: Received[] }, input: {} as { log: Received[] }, events: {} as Received['event'] },
  actions: { record: ({ context, event, self }) => void context.log.push({ atMs: portOf(self).now, to: self.id, event }) },
}).createMachine({ context: ({ input }) => ({ log: input.log }), on: { '*': { actions: 'record' } } });

/** A manager pod reduced to its answers: every UPGRADE and CALL is done `serviceMs` later, ok. */
const stubManager = setup({
  types: {
    context: {} as { log: Received[]; serviceMs: number },
    input: {} as { log: Received[]; serviceMs: number },
    events: {} as { type: string; reqId?: number; router?: string },
  },
  actions: {
    serve: ({ context, event, self }) => {
      const port = portOf(self);
      context.log.push({ atMs: port.now, to: self.id, event });
      if ((event.type === 'UPGRADE' || event.type === 'CALL') && event.router !== undefined)
        port.send(event.router, { type: 'UPSTREAM_DONE', reqId: event.reqId, ok: true }, { latencyMs: context.serviceMs });
    },
  },
}).createMachine({ context: ({ input }) => ({ log: input.log, serviceMs: input.serviceMs }), on: { '*': { actions: 'serve' } } });

const ROUTER = 'router-0';
/** the pod is ready after the default readiness delay (15 s); every test starts at T0 */
const T0 = 20_000;
const SEC = 1_000;

function rig(pool: Partial<PoolParams>, serviceMs: number) {
  const params = defaultParams();
  params.network = { minLatencyMs: 1, maxLatencyMs: 1 };
  const sim = createSimulation({ seed: 1, network: params.network });
  const state: PlatformState = createPlatformState(params, sim);
  state.readyManagers.push('manager-0');
  const clients: Received[] = [];
  const manager: Received[] = [];
  const poolParams: PoolParams = {
    ...params.router.pool,
    mode: 'fixed',
    maxConnections: 1,
    pendingAcquireMaxCount: 10,
    pendingAcquireTimeoutMs: 45 * SEC,
    cancelAbandonedAcquires: false,
    ...pool,
  };
  for (const id of ['a', 'b', 'c', 'd', 'controller']) sim.spawn(recorder, { id, input: { log: clients } });
  sim.spawn(stubManager, { id: 'manager-0', input: { log: manager, serviceMs } });
  sim.spawn(routerPod, { id: ROUTER, input: { platform: state, pool: poolParams, controller: 'controller' } });
  let reqId = 0;
  const ids = new Map<string, number>();
  const at = (ms: number) => sim.runUntil(T0 + ms);
  /** `from` sends the router pod `event`, arriving at once */
  const send = (from: string, event: RouterEvent) => sim.send(from, ROUTER, event, { latencyMs: 0 });
  return {
    sim,
    state,
    at,
    send,
    pool: () => state.routerPools.get(ROUTER)!,
    /** client `c` asks for a REST call (or a socket) at T0 + ms; its request id is remembered by the client's name */
    rest: (client: string, ms: number) => {
      at(ms);
      ids.set(client, ++reqId);
      send(client, { type: 'REST', reqId, client, op: 'api' });
    },
    socket: (client: string, ms: number) => {
      at(ms);
      ids.set(client, ++reqId);
      send(client, { type: 'WS_OPEN', reqId, client });
    },
    abandon: (client: string, ms: number, kind: 'REST_ABANDON' | 'WS_ABANDON' = 'REST_ABANDON') => {
      at(ms);
      send(client, { type: kind, reqId: ids.get(client)!, client });
    },
    /** what client `c` was told, as [ms after T0, event] */
    told: (client: string) =>
      clients.filter((r) => r.to === client && r.event.type !== 'POD_READY').map((r) => [r.atMs - T0, r.event] as const),
    /** when the manager was first asked to work for client `c` (ms after T0), or undefined */
    servedAt: (client: string) => {
      const r = manager.find((m) => (m.event.type === 'CALL' || m.event.type === 'UPGRADE') && m.event.reqId === ids.get(client));
      return r === undefined ? undefined : r.atMs - T0;
    },
    cancelledAt: (client: string) => {
      const r = manager.find((m) => m.event.type === 'CANCEL' && m.event.reqId === ids.get(client));
      return r === undefined ? undefined : r.atMs - T0;
    },
  };
}

describe('the router pool follows reactor-pool', () => {
  describe('1. the acquire timeout runs only while an acquire waits', () => {
    it('an acquire served at once never times out, however long it holds its slot', () => {
      const r = rig({}, 100 * SEC); // held 100 s, more than twice the 45 s timeout
      r.rest('a', 0);
      r.at(200 * SEC);
      expect(r.servedAt('a')).toBe(1);
      expect(r.told('a')).toEqual([[100 * SEC + 2, { type: 'REST_RESULT', reqId: 1, ok: true }]]);
      expect(r.state.signals.acquireTimeouts.value).toBe(0);
    });

    it('a waiting acquire times out pendingAcquireTimeout after it began to wait, not after anything else', () => {
      const r = rig({}, 100 * SEC);
      r.rest('a', 0);
      r.rest('b', 10 * SEC); // waits from 10 s: times out at 55 s
      r.at(200 * SEC);
      expect(r.told('b')).toEqual([[55 * SEC + 1, { type: 'REST_RESULT', reqId: 2, ok: false }]]);
      expect(r.servedAt('b')).toBeUndefined();
      expect(r.state.signals.acquireTimeouts.value).toBe(1);
    });

    it('a waiting acquire that is served stops its timeout, and keeps its slot past it', () => {
      const r = rig({}, 30 * SEC);
      r.rest('a', 0); // done at 30 s
      r.rest('b', 10 * SEC); // would time out at 55 s; served at 30 s, done at 60 s
      r.at(200 * SEC);
      expect(r.servedAt('b')).toBe(30 * SEC + 2); // a's answer reaches the router at 30 s + 1 ms, b's call the manager 1 ms later
      expect(r.told('b')).toEqual([[60 * SEC + 3, { type: 'REST_RESULT', reqId: 2, ok: true }]]);
      expect(r.state.signals.acquireTimeouts.value).toBe(0);
    });

    it('pendingAcquireTimeout 0 is no timeout (Duration.ZERO starts no timer): a waiting acquire waits until it is served', () => {
      const r = rig({ pendingAcquireTimeoutMs: 0 }, 100 * SEC);
      r.rest('a', 0);
      r.rest('b', 10 * SEC);
      r.at(300 * SEC);
      expect(r.servedAt('b')).toBe(100 * SEC + 2);
      expect(r.told('b')).toEqual([[200 * SEC + 3, { type: 'REST_RESULT', reqId: 2, ok: true }]]);
      expect(r.state.signals.acquireTimeouts.value).toBe(0);
    });
  });

  describe('2. past pendingAcquireMaxCount the newest acquire is rejected at once', () => {
    it('the newcomer fails at once; those already waiting keep their places, oldest first', () => {
      const r = rig({ pendingAcquireMaxCount: 2 }, 10 * SEC);
      r.rest('a', 0);
      r.rest('b', 1 * SEC);
      r.rest('c', 2 * SEC);
      r.socket('d', 3 * SEC); // a socket, so its failure names its reason
      r.at(100 * SEC);
      expect(r.told('d')).toEqual([[3 * SEC + 1, { type: 'WS_FAILED', reqId: 4, reason: 'overflow' }]]);
      expect(r.state.signals.overflowRejections.value).toBe(1);
      expect(r.servedAt('b')).toBe(10 * SEC + 2);
      expect(r.servedAt('c')).toBe(20 * SEC + 3);
      expect(r.state.signals.acquireTimeouts.value).toBe(0);
    });

    it('with pendingAcquireMaxCount 0 nothing waits: an acquire with no free slot fails at once, one with a slot is served', () => {
      const r = rig({ pendingAcquireMaxCount: 0 }, 10 * SEC);
      r.rest('a', 0);
      r.socket('b', 1 * SEC);
      r.rest('c', 20 * SEC);
      r.at(100 * SEC);
      expect(r.servedAt('a')).toBe(1);
      expect(r.told('b')).toEqual([[1 * SEC + 1, { type: 'WS_FAILED', reqId: 2, reason: 'overflow' }]]);
      expect(r.servedAt('c')).toBe(20 * SEC + 1);
      expect(r.pool().pendingCount).toBe(0);
    });
  });

  describe('3. a client that leaves after it was given a slot', () => {
    it('with cancelAbandonedAcquires, releases the slot at once: the upstream call is cancelled and the next acquire served', () => {
      const r = rig({ cancelAbandonedAcquires: true }, 60 * SEC);
      r.rest('a', 0);
      r.rest('b', 1 * SEC);
      r.abandon('a', 5 * SEC);
      r.at(100 * SEC);
      expect(r.cancelledAt('a')).toBe(5 * SEC + 1);
      expect(r.servedAt('b')).toBe(5 * SEC + 1);
      expect(r.told('a')).toEqual([]);
    });

    it('with cancelAbandonedAcquires, a socket given up during its connection setup frees its slot at once too', () => {
      const r = rig({ cancelAbandonedAcquires: true, connectionSetupMs: 10 * SEC }, 1 * SEC);
      r.socket('a', 0); // in setup until 10 s
      r.rest('b', 1 * SEC);
      r.abandon('a', 2 * SEC, 'WS_ABANDON');
      r.at(100 * SEC);
      expect(r.servedAt('b')).toBe(2 * SEC + 1);
      expect(r.servedAt('a')).toBeUndefined(); // no upgrade for a client that left
      expect(r.pool().occupied).toBe(0);
    });

    it('without it the abandon never reaches the pool: the slot is held until the work is done, for nobody', () => {
      const r = rig({ cancelAbandonedAcquires: false }, 30 * SEC);
      r.rest('a', 0);
      r.rest('b', 1 * SEC);
      r.abandon('a', 5 * SEC);
      r.at(100 * SEC);
      expect(r.cancelledAt('a')).toBeUndefined();
      expect(r.servedAt('b')).toBe(30 * SEC + 2);
      expect(r.told('a')).toEqual([]); // the result is not sent to a client that left
    });
  });

  describe('4. a client that leaves while its acquire waits', () => {
    it('with cancelAbandonedAcquires, its acquire leaves the queue: its place is free, it is never served, it never times out', () => {
      const r = rig({ cancelAbandonedAcquires: true, pendingAcquireMaxCount: 1 }, 30 * SEC);
      r.rest('a', 0);
      r.rest('b', 1 * SEC);
      r.abandon('b', 2 * SEC);
      r.at(2 * SEC + 1);
      expect(r.pool().pendingCount).toBe(0);
      expect(r.state.signals.pendingAcquires.value).toBe(0);
      r.rest('c', 3 * SEC); // takes b's place: no overflow
      r.at(100 * SEC);
      expect(r.state.signals.overflowRejections.value).toBe(0);
      expect(r.servedAt('b')).toBeUndefined();
      expect(r.servedAt('c')).toBe(30 * SEC + 2);
      expect(r.state.signals.acquireTimeouts.value).toBe(0);
    });

    it('without it the acquire keeps its place: the next one overflows, and the slot is served to nobody', () => {
      const r = rig({ cancelAbandonedAcquires: false, pendingAcquireMaxCount: 1 }, 30 * SEC);
      r.rest('a', 0);
      r.rest('b', 1 * SEC);
      r.abandon('b', 2 * SEC);
      r.rest('c', 3 * SEC);
      r.at(100 * SEC);
      expect(r.state.signals.overflowRejections.value).toBe(1);
      expect(r.told('c')).toEqual([[3 * SEC + 1, { type: 'REST_RESULT', reqId: 3, ok: false }]]);
      expect(r.servedAt('b')).toBe(30 * SEC + 2);
      expect(r.told('b')).toEqual([]);
    });
  });

  describe('5. a freed slot goes to the oldest waiting acquire at once', () => {
    it('also when a client’s new socket replaces its old one on the same router', () => {
      // a socket the client never closed (a partition hid the close) is replaced when its new one opens there;
      // the old slot is released like any other (drainLoop), not left free until something else frees one
      const r = rig({ maxConnections: 2, connectionSetupMs: 100 }, 1 * SEC);
      r.socket('a', 0); // open at about 1.1 s
      r.at(5 * SEC);
      expect(r.told('a').map(([, e]) => e.type)).toEqual(['WS_ESTABLISHED']);
      r.socket('a', 10 * SEC); // the second socket of the same client: the pool is full with it
      r.rest('b', 10 * SEC + 50); // waits
      r.at(100 * SEC);
      const established = r.told('a').filter(([, e]) => e.type === 'WS_ESTABLISHED');
      expect(established).toHaveLength(2);
      const replacedAt = established[1]![0] - 1; // the router sent it 1 ms earlier, as it closed the old socket
      expect(r.servedAt('b')).toBe(replacedAt + 1);
      expect(r.state.signals.acquireTimeouts.value).toBe(0);
      expect(r.pool().occupied).toBe(1);
    });
  });

  describe('6. a reload in place (a `reconfigure` event): the pool keeps what it holds and applies each setting from then on', () => {
    /** the router pod takes new settings at T0 + ms */
    const reload = (r: ReturnType<typeof rig>, ms: number, pool: Partial<PoolParams>) => {
      r.at(ms);
      r.send('controller', { type: 'RECONFIGURE', pool });
    };

    it('a raised maxConnections serves the waiting acquires at once, oldest first, as far as the new room goes', () => {
      const r = rig({ maxConnections: 1 }, 100 * SEC);
      r.rest('a', 0); // holds the one slot for 100 s
      r.rest('b', 10 * SEC); // waits
      r.rest('c', 20 * SEC); // waits behind b
      reload(r, 30 * SEC, { maxConnections: 2 });
      r.at(35 * SEC);
      expect(r.servedAt('b')).toBe(30 * SEC + 1); // at once, by the reload's own step
      expect(r.servedAt('c')).toBeUndefined(); // no room left for it
      reload(r, 40 * SEC, { maxConnections: 3 });
      r.at(45 * SEC);
      expect(r.servedAt('c')).toBe(40 * SEC + 1);
      expect(r.pool().params.maxConnections).toBe(3);
      expect(r.state.signals.slotCapacity.value).toBe(3);
      expect(r.state.signals.acquireTimeouts.value).toBe(0);
    });

    it('a lowered maxConnections evicts nothing: new acquires wait until occupancy falls below the new limit', () => {
      const r = rig({ maxConnections: 3 }, 30 * SEC);
      r.rest('a', 0); // done at 30 s
      r.rest('b', 5 * SEC); // done at 35 s
      r.rest('c', 8 * SEC); // done at 38 s
      reload(r, 10 * SEC, { maxConnections: 1 });
      r.at(11 * SEC);
      expect(r.pool().occupied).toBe(3); // all three keep their slots, above the new limit
      r.rest('d', 20 * SEC); // no free slot under the new limit: waits
      r.at(100 * SEC);
      for (const c of ['a', 'b', 'c']) expect(r.told(c).map(([, e]) => e.ok)).toEqual([true]);
      // not when a freed its slot (2 still held), not when b did (1): when c did, occupancy 0 < 1
      expect(r.servedAt('d')).toBe(38 * SEC + 2);
      expect(r.state.signals.slotCapacity.value).toBe(1);
      expect(r.state.violations).toEqual([]);
    });

    it('a new pendingAcquireTimeout applies to acquires that begin to wait after it; those waiting keep their deadline', () => {
      const r = rig({ maxConnections: 1 }, 200 * SEC);
      r.rest('a', 0);
      r.rest('b', 10 * SEC); // waits with the 45 s timeout: fails at 55 s
      reload(r, 15 * SEC, { pendingAcquireTimeoutMs: 10 * SEC });
      r.rest('c', 20 * SEC); // waits with the new 10 s: fails at 30 s
      r.at(100 * SEC);
      expect(r.told('c')).toEqual([[30 * SEC + 1, { type: 'REST_RESULT', reqId: 3, ok: false }]]);
      expect(r.told('b')).toEqual([[55 * SEC + 1, { type: 'REST_RESULT', reqId: 2, ok: false }]]);
    });

    it('a pendingAcquireMaxCount below the queue fails nothing waiting; newcomers overflow until the queue is shorter', () => {
      const r = rig({ maxConnections: 1, pendingAcquireMaxCount: 10, pendingAcquireTimeoutMs: 120 * SEC }, 30 * SEC);
      r.rest('a', 0); // done at 30 s
      r.rest('b', 1 * SEC); // waits
      r.rest('c', 2 * SEC); // waits
      reload(r, 3 * SEC, { pendingAcquireMaxCount: 1 });
      r.rest('d', 4 * SEC); // two waiting, one allowed: rejected at once
      r.at(5 * SEC);
      expect(r.told('d')).toEqual([[4 * SEC + 1, { type: 'REST_RESULT', reqId: 4, ok: false }]]);
      expect(r.state.signals.overflowRejections.value).toBe(1);
      expect(r.pool().pendingCount).toBe(2); // b and c still wait
      r.at(100 * SEC);
      expect(r.servedAt('b')).toBe(30 * SEC + 2);
      expect(r.servedAt('c')).toBe(60 * SEC + 3); // b is done at the manager 30 s after it was served there
    });

    it('a new maxIdleTime measures every socket pinned for a client that left from when it was pinned', () => {
      // a and b give up during a 10 s upgrade: each socket is pinned, for nobody, when its upgrade is done
      const r = rig({ maxConnections: 3, connectionSetupMs: 0 }, 10 * SEC);
      r.socket('a', 0); // pinned at ≈ 10 s
      r.abandon('a', 2 * SEC, 'WS_ABANDON');
      r.socket('b', 40 * SEC); // pinned at ≈ 50 s
      r.abandon('b', 42 * SEC, 'WS_ABANDON');
      r.at(55 * SEC);
      expect(r.pool().abandoned).toBe(2); // maxIdleTime 0 (never): both kept
      reload(r, 60 * SEC, { maxIdleTimeMs: 30 * SEC });
      r.at(61 * SEC);
      expect(r.pool().abandoned).toBe(1); // a, idle for 50 s, goes at once; b, idle for 10 s, stays
      r.at(79 * SEC);
      expect(r.pool().abandoned).toBe(1);
      r.at(81 * SEC);
      expect(r.pool().abandoned).toBe(0); // b at 30 s after it was pinned
      reload(r, 82 * SEC, { maxIdleTimeMs: 0 }); // back to never: nothing scheduled fires any more
      r.socket('c', 90 * SEC);
      r.abandon('c', 92 * SEC, 'WS_ABANDON');
      r.at(300 * SEC);
      expect(r.pool().abandoned).toBe(1);
      expect(r.state.violations).toEqual([]);
    });

    it('never changes the kind of pool: a mode in the settings is ignored', () => {
      const r = rig({ maxConnections: 1 }, 100 * SEC);
      reload(r, 0, { mode: 'elastic', maxConnections: 2 });
      r.at(1 * SEC);
      expect(r.pool().params).toMatchObject({ mode: 'fixed', maxConnections: 2 });
    });
  });

  describe('accounting', () => {
    it('a pod gone before the release of its stale slots counts none stale after it (it released them when it went)', () => {
      const r = rig({ maxConnections: 2, staleConnectionReleaseMs: 120 * SEC }, 1 * SEC);
      r.socket('a', 0);
      r.socket('b', 0);
      r.at(5 * SEC);
      // the manager pod terminated: both sockets closed, their slots stale for 2 min
      r.send('manager-0', { type: 'SOCKETS_CLOSED', manager: 'manager-0', clients: ['a', 'b'] });
      r.at(6 * SEC);
      expect(r.state.signals.slotsStale.value).toBe(2);
      r.send('controller', { type: 'KILL' }); // gone 1 min before the release, with its stale slots
      r.at(60 * SEC);
      expect(r.state.signals.slotsStale.value).toBe(0);
      r.at(200 * SEC); // the release scheduled for 2 min after the close arrives at a pod that has none
      expect(r.state.signals.slotsStale.value).toBe(0);
      expect(r.state.violations).toEqual([]);
    });
  });
});
