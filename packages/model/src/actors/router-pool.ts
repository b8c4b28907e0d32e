/**
 * A router pod's upstream connection pool (Reactor Netty's vocabulary:
 * maxConnections, pendingAcquireMaxCount, pendingAcquireTimeout).
 *
 * Plain data, mutated by the router pod's actions: a slot count split by
 * what holds it (websocket, rest, stale, in-setup) and a FIFO of pending
 * acquires. `elastic` never waits: every acquire gets a slot at once.
 *
 * A `fixed` pool follows reactor-pool's SimpleDequePool (the pool under Reactor
 * Netty's ConnectionProvider), checked by packages/model/test/router-pool-semantics.test.ts:
 * - an acquire waits only when no slot is free, and only then does its
 *   pendingAcquireTimeout run (`pendingOffer` starts the timer when
 *   idle + permits < pending; `drainLoop` stops it when it serves the borrower);
 *   a timeout of 0 is none (`!pendingAcquireTimeout.isZero()`): it waits until served;
 * - past pendingAcquireMaxCount the newest acquire fails at once
 *   (`pendingOffer`: `pendingQueue.pollLast()`), 0 meaning no waiting at all;
 * - a cancelled borrower leaves the queue (`cancelAcquire`: `pending.remove`),
 *   and one cancelled after it was given a slot releases it at once
 *   (`Borrower.deliver`: `poolSlot.release()`) — in the model, a client that
 *   left, when `cancelAbandonedAcquires` is on (off, the abandon never reaches
 *   the pool: the model's assumption about the gateway in front of it);
 * - a freed slot goes to the oldest pending acquire at once (`drain`).
 * Not modelled: reactor-pool's -1 (unbounded) pendingAcquireMaxCount, and Reactor
 * Netty's default of 2 × maxConnections for it (`PooledConnectionProvider.PoolFactory`;
 * the topology gives a count).
 */
import { BLANK, forkBlank } from '@stampede/kernel';
import type { RequestKind, RestOp } from '../messages.ts';
import type { PoolParams } from '../params.ts';
import type { PlatformState } from '../platform-state.ts';

export type RequestStage = 'pending' | 'setup' | 'upstream' | 'open' | 'ended';

export interface PoolRequest {
  reqId: number;
  kind: RequestKind;
  client: string;
  op: RestOp | undefined;
  stage: RequestStage;
  /** the client went away (open timeout) */
  abandoned: boolean;
  manager: string | undefined;
  /** holds a slot (setup, upstream or open) */
  holdsSlot: boolean;
}

export class RouterPool {
  /**
   * requests sent upstream (UPGRADE or CALL) while the pod is measured (in `routerPools`), since the autoscaler last
   * sampled it: the work its CPU metric is made of
   */
  handled = 0;
  websocket = 0;
  rest = 0;
  stale = 0;
  inSetup = 0;
  /** upstream sockets opened for clients that had already left: pinned until the manager drops them */
  abandoned = 0;
  /** FIFO of pending acquires; entries that left early are skipped at the head */
  private queue: PoolRequest[] = [];
  private head = 0;
  pendingCount = 0;
  readonly requests = new Map<number, PoolRequest>();

  /** the pool's settings: those of its pod's template, then of any reconfigure (never mutated: replaced) */
  params: PoolParams;

  constructor(
    params: PoolParams,
    private readonly platform: PlatformState,
    /** virtual time, for the violations' messages: the router pod's port */
    private readonly clock: { readonly now: number },
  ) {
    this.params = params;
    if ((params as unknown) === BLANK) return; // a fork's blank copy (forkBlank below): the fork fills in every field
    if (params.mode === 'fixed') platform.signals.slotCapacity.add(params.maxConnections);
  }

  /**
   * A hot configuration reload (a `reconfigure` event): the pool takes `settings` at once, keeping every slot, socket
   * and waiting acquire it has. Each setting is read where it acts, so it applies from now on:
   * - `maxConnections` down below what is held: nothing is evicted; new acquires wait (or overflow) until occupancy
   *   falls below the new limit. Up: the router pod hands the new room to waiting acquires at once, oldest first
   *   (router-pod.ts, `pump`);
   * - `pendingAcquireMaxCount` down below the queue: nothing waiting is failed; new acquires overflow until the queue
   *   is shorter than the new count;
   * - `pendingAcquireTimeout`: acquires that begin to wait from now on (those waiting keep the deadline they got);
   * - `cancelAbandonedAcquires`: clients that go away from now on;
   * - `staleConnectionRelease`, `connectionSetup`: connections that turn stale or are set up from now on;
   * - `maxIdleTime`: every upstream socket pinned for a client that left, those pinned already included, measured from
   *   when it was pinned (the router pod schedules the evictions: an idle-eviction sweep reads the new value).
   * `mode` is not a setting of a running pool: it is ignored here (the topology refuses it: a new kind of pool is a
   * rollout).
   */
  reconfigure(settings: Partial<PoolParams>): void {
    const before = this.params;
    const { mode: _kind, ...changed } = settings;
    this.params = { ...before, ...changed };
    if (this.params.mode === 'fixed') this.platform.signals.slotCapacity.add(this.params.maxConnections - before.maxConnections);
  }

  /** Called once when the pod is gone: its capacity leaves the cluster's total. */
  retire(): void {
    if (this.params.mode === 'fixed') this.platform.signals.slotCapacity.add(-this.params.maxConnections);
  }

  get occupied(): number {
    return this.websocket + this.rest + this.stale + this.inSetup + this.abandoned;
  }

  hasFreeSlot(): boolean {
    return this.params.mode === 'elastic' || this.occupied < this.params.maxConnections;
  }

  canQueue(): boolean {
    return this.pendingCount < this.params.pendingAcquireMaxCount;
  }

  enqueue(req: PoolRequest): void {
    req.stage = 'pending';
    this.queue.push(req);
    this.pendingCount++;
    this.platform.signals.pendingAcquires.add(1);
  }

  /** Removes a pending request (timed out or cancelled). */
  unqueue(req: PoolRequest): void {
    if (req.stage !== 'pending') return;
    req.stage = 'ended';
    this.pendingCount--;
    this.platform.signals.pendingAcquires.add(-1);
  }

  /** Next pending request to hand a freed slot, or undefined. */
  dequeue(): PoolRequest | undefined {
    while (this.head < this.queue.length) {
      const req = this.queue[this.head++]!;
      if (req.stage === 'pending') {
        this.pendingCount--;
        this.platform.signals.pendingAcquires.add(-1);
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        return req;
      }
    }
    return undefined;
  }

  /** Every still-pending request, oldest first (for shutdown). */
  drainPending(): PoolRequest[] {
    const out: PoolRequest[] = [];
    for (let r = this.dequeue(); r !== undefined; r = this.dequeue()) out.push(r);
    return out;
  }

  /** Takes a slot for `req` in the given holder. */
  take(req: PoolRequest): void {
    req.holdsSlot = true;
    const s = this.platform.signals;
    if (req.kind === 'ws') {
      req.stage = 'setup';
      this.inSetup++;
      s.slotsSetup.add(1);
    } else {
      req.stage = 'upstream';
      this.rest++;
      s.slotsRest.add(1);
    }
    if (this.params.mode === 'fixed' && this.occupied > this.params.maxConnections) {
      this.platform.violations.push(
        `pool occupancy ${this.occupied} exceeds maxConnections ${this.params.maxConnections} at ${this.clock.now} ms`,
      );
    }
  }

  /** A websocket finished its upgrade: its slot now pins an open socket. */
  open(req: PoolRequest): void {
    req.stage = 'open';
    this.inSetup--;
    this.websocket++;
    this.platform.signals.slotsSetup.add(-1);
    this.platform.signals.slotsWebsocket.add(1);
  }

  /** An upgrade finished for a client that left: the upstream socket stays open, pinning its slot. */
  pinAbandoned(req: PoolRequest): void {
    req.stage = 'ended';
    req.holdsSlot = false;
    this.inSetup--;
    this.abandoned++;
    this.platform.signals.slotsSetup.add(-1);
    this.platform.signals.slotsAbandoned.add(1);
  }

  releaseAbandoned(): void {
    this.abandoned--;
    this.platform.signals.slotsAbandoned.add(-1);
    if (this.abandoned < 0) this.platform.violations.push(`abandoned slot count went negative at ${this.clock.now} ms`);
  }

  /** The upstream of an open socket went away: its slot turns stale until released. */
  turnStale(req: PoolRequest): void {
    req.holdsSlot = false;
    req.stage = 'ended';
    this.websocket--;
    this.stale++;
    this.platform.signals.slotsWebsocket.add(-1);
    this.platform.signals.slotsStale.add(1);
  }

  addStale(count: number): void {
    this.stale += count;
    this.platform.signals.slotsStale.add(count);
  }

  releaseStale(count: number): void {
    this.stale -= count;
    this.platform.signals.slotsStale.add(-count);
    if (this.stale < 0) this.platform.violations.push(`stale slot count went negative at ${this.clock.now} ms`);
  }

  /** Frees the slot `req` holds. */
  release(req: PoolRequest): void {
    if (!req.holdsSlot) return;
    req.holdsSlot = false;
    const s = this.platform.signals;
    if (req.kind === 'rest') {
      this.rest--;
      s.slotsRest.add(-1);
    } else if (req.stage === 'open') {
      this.websocket--;
      s.slotsWebsocket.add(-1);
    } else {
      this.inSetup--;
      s.slotsSetup.add(-1);
    }
    if (this.rest < 0 || this.websocket < 0 || this.inSetup < 0) {
      this.platform.violations.push(`a slot count went negative at ${this.clock.now} ms`);
    }
  }
}

// a fork copies pools into instances the constructor made (the kernel's forkBlank: no second hidden class on the hot path)
forkBlank(RouterPool, () => new RouterPool(BLANK as never, undefined as never, undefined as never));
