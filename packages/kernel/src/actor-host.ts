/**
 * Hosts xstate actors on the kernel: spawn with ids into one shared xstate
 * system, deliver network envelopes to per-actor inboxes (a Map by id), run
 * their timers on the virtual clock, and stop, crash and restart them.
 *
 * All actors are children of one root actor, so they share one system: this
 * halves memory and is faster than a system per actor at 10k+. Actors never
 * talk to each other directly (`sendTo` between actors is synchronous and
 * nested in xstate); they send through `portOf(self).send(...)` or the
 * `send(...)` action, which hands the message to the network.
 */
import { Observable } from 'rxjs';
import {
  type Actor,
  type AnyActorLogic,
  type AnyActorRef,
  createActor,
  createMachine,
  type InputFrom,
  type InspectionEvent,
  type SnapshotFrom,
} from 'xstate';
import { checkId, KernelInputError } from './errors.ts';
import type { EventQueue, ScheduledEvent } from './event-queue.ts';
import type { Logger } from './logger.ts';
import type { Envelope, Network } from './network.ts';
import type { RandomStream } from './random.ts';
import { type DropReason, TRACE_DELIVER, TRACE_DROP, TRACE_LIFECYCLE, TRACE_STATE, type Trace } from './trace.ts';

/** What an actor may do to the world: everything goes through the kernel. */
export interface ActorPort {
  readonly id: string;
  /** Current virtual time in ms. */
  readonly now: number;
  /** This actor's own random stream (forked from the seed by id and incarnation). */
  readonly random: RandomStream;
  /** A pino child logger bound to this actor's id. */
  readonly log: Logger;
  /** Sends an event through the network. `latencyMs` overrides the sampled latency. */
  /** generic so a message literal may carry any fields beside its type (no excess-property error) */
  send<E extends { type: string }>(to: string, event: E, options?: { latencyMs?: number }): void;
}

export interface SpawnOptions<TLogic extends AnyActorLogic> {
  /** Unique actor id; used for routing, the trace hash and random stream names. */
  id: string;
  input?: InputFrom<TLogic>;
}

/** Raised when an actor's logic throws; the run stops, naming the actor and the event. */
export class ActorFailedError extends Error {
  override name = 'ActorFailedError';
  constructor(
    readonly actorId: string,
    readonly timeMs: number,
    readonly during: string,
    override readonly cause: unknown,
  ) {
    super(
      `Actor '${actorId}' failed at virtual time ${timeMs} ms while handling ${during}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
  }
}

/** @internal one hosted actor */
interface Hosted {
  readonly id: string;
  readonly idHash: number;
  readonly logic: AnyActorLogic;
  readonly input: unknown;
  incarnation: number;
  actor: Actor<AnyActorLogic> | undefined;
  lastSnapshot: unknown;
  lastValue: string;
  port: PortImpl | undefined;
}

class PortImpl implements ActorPort {
  private rng: RandomStream | undefined;
  private logger: Logger | undefined;
  constructor(
    private readonly host: ActorHost,
    private readonly rec: Hosted,
  ) {}
  get id(): string {
    return this.rec.id;
  }
  get now(): number {
    return this.host.queue.now;
  }
  get random(): RandomStream {
    return (this.rng ??= this.host.random.fork(`actor:${this.rec.id}#${this.rec.incarnation}`));
  }
  get log(): Logger {
    return (this.logger ??= this.host.logger.child({ actor: this.rec.id }));
  }
  send<E extends { type: string }>(to: string, event: E, options?: { latencyMs?: number }): void {
    this.host.network.send(this.rec.id, to, event, this.random, options?.latencyMs);
  }
}

/** Flattens a state value to a stable string: "a", "a.b", "p.(x.y|z)". */
export function stateValueString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object') return String(value);
  const keys = Object.keys(value).sort();
  const parts = keys.map((k) => {
    const sub = (value as Record<string, unknown>)[k];
    if (sub && typeof sub === 'object' && Object.keys(sub).length === 0) return k;
    return `${k}.${stateValueString(sub)}`;
  });
  return parts.length === 1 ? parts[0]! : `(${parts.join('|')})`;
}

// The parent of every hosted actor. It accepts every event so that a child's
// error event (`xstate.error.actor.*`) does not make the root fail too (and
// xstate report it through a real `setTimeout`); the host surfaces child
// errors itself as ActorFailedError.
const rootLogic = createMachine({ id: 'stampede-root', on: { '*': {} } });

interface TimerArg {
  fn: () => void;
  rec: Hosted | undefined;
}

export class ActorHost {
  private readonly actors = new Map<string, Hosted>();
  private readonly byActor = new WeakMap<AnyActorRef, Hosted>();
  private readonly root: Actor<typeof rootLogic>;
  /** The actor whose event is being processed (timers it sets belong to it). */
  private current: Hosted | undefined;
  private readonly fireTimerFn = (t: TimerArg) => this.fireTimer(t);
  // pino's isLevelEnabled costs ~60 ns: asked per delivery and per state change, it is read once and
  // again only when the level changes
  private logsDebug = false;
  private logsTrace = false;

  constructor(
    readonly queue: EventQueue,
    readonly network: Network,
    readonly random: RandomStream,
    readonly trace: Trace,
    readonly logger: Logger,
  ) {
    this.root = createActor(rootLogic, {
      clock: {
        setTimeout: (fn: () => void, ms: number): ScheduledEvent => {
          if (!(ms >= 0) || ms === Infinity) {
            throw new KernelInputError(
              'xstate clock setTimeout',
              'delay (from an `after` or a delayed action)',
              ms,
              'a finite number >= 0',
            );
          }
          const rec = this.current;
          return this.queue.schedule(ms, this.fireTimerFn, { fn, rec }, rec?.id);
        },
        clearTimeout: (handle: ScheduledEvent) => {
          if (handle) this.queue.cancel(handle);
        },
      },
      logger: (...args: unknown[]) => this.logger.info({ xstate: args }, 'xstate log'),
    });
    this.root.start();
    const levels = () => {
      this.logsDebug = logger.isLevelEnabled('debug');
      this.logsTrace = logger.isLevelEnabled('trace');
    };
    levels();
    logger.on('level-change', levels);
  }

  /** @internal the shared xstate system, used to find the host from `self` */
  get rootSystem(): object {
    return this.root.system;
  }

  /** Ids of the running actors, in spawn order. */
  ids(): string[] {
    const out: string[] = [];
    for (const [id, rec] of this.actors) if (rec.actor) out.push(id);
    return out;
  }

  spawn<TLogic extends AnyActorLogic>(logic: TLogic, options: SpawnOptions<TLogic>): Actor<TLogic> {
    const id = checkId('spawn', 'options.id', options?.id);
    if (this.actors.has(id)) {
      throw new KernelInputError(
        'spawn',
        'options.id',
        id,
        'an id not already used by another actor (stop or remove it first, or pick another id)',
      );
    }
    if (!logic || typeof (logic as AnyActorLogic).transition !== 'function') {
      throw new KernelInputError(
        'spawn',
        'logic',
        logic,
        'xstate actor logic (a machine from setup(...).createMachine(...), or fromCallback/fromPromise/...)',
      );
    }
    const rec: Hosted = {
      id,
      idHash: this.trace.str(id),
      logic,
      input: options.input,
      incarnation: 0,
      actor: undefined,
      lastSnapshot: undefined,
      lastValue: '',
      port: undefined,
    };
    this.actors.set(id, rec);
    this.start(rec, 'spawn');
    return rec.actor as Actor<TLogic>;
  }

  /** The running xstate actor with this id. */
  get<TLogic extends AnyActorLogic = AnyActorLogic>(id: string): Actor<TLogic> {
    const rec = this.actors.get(id);
    if (rec?.actor === undefined) {
      throw new KernelInputError(
        'actor',
        'id',
        id,
        rec ? 'a running actor (this one is crashed; restart it first)' : `the id of a spawned actor (known: ${this.sample()})`,
      );
    }
    return rec.actor as Actor<TLogic>;
  }

  has(id: string): boolean {
    return this.actors.get(id)?.actor !== undefined;
  }

  /** The port through which actor `self` acts on the world. */
  portOf(self: AnyActorRef): ActorPort {
    const rec = this.byActor.get(self);
    if (rec === undefined) {
      throw new KernelInputError('portOf', 'self', (self as { id?: string })?.id ?? self, 'an actor spawned by this simulation');
    }
    return (rec.port ??= new PortImpl(this, rec));
  }

  /** Stops an actor for good and forgets its id. Its pending timers are cancelled. */
  stop(id: string): void {
    const rec = this.require('stop', id);
    if (rec.actor) this.halt(rec);
    this.actors.delete(id);
    this.lifecycle(rec, 'stop');
  }

  /** Kills an actor abruptly; messages to it are dropped until `restart`. */
  crash(id: string): void {
    const rec = this.require('crash', id);
    if (rec.actor === undefined) throw new KernelInputError('crash', 'id', id, 'a running actor (this one is already crashed)');
    this.halt(rec);
    this.lifecycle(rec, 'crash');
  }

  /** Starts a fresh incarnation of a crashed (or running: a bounce) actor from its initial state. */
  restart(id: string): void {
    const rec = this.require('restart', id);
    if (rec.actor) this.halt(rec);
    rec.incarnation++;
    rec.port = undefined;
    this.start(rec, 'restart');
  }

  /** Snapshots of one actor's current incarnation. */
  snapshots$<TLogic extends AnyActorLogic>(id: string): Observable<SnapshotFrom<TLogic>> {
    const actor = this.get<TLogic>(id);
    return new Observable((sub) => {
      const s = actor.subscribe({ next: (v) => sub.next(v), error: (e) => sub.error(e), complete: () => sub.complete() });
      return () => s.unsubscribe();
    });
  }

  /** xstate inspection events of every hosted actor (about 20% slower while subscribed). */
  get inspection$(): Observable<InspectionEvent> {
    return new Observable((sub) => {
      const s = this.root.system.inspect((ev: InspectionEvent) => sub.next(ev));
      return () => s.unsubscribe();
    });
  }

  /** @internal hot path: network → inbox */
  deliver(env: Envelope): void {
    const rec = this.actors.get(env.to);
    const actor = rec?.actor;
    if (actor === undefined) {
      this.network.undeliverable(env);
      return;
    }
    const trace = this.trace;
    trace.fold(TRACE_DELIVER, this.queue.now, this.trace.str(env.from), rec!.idHash, trace.str(env.event.type));
    if (trace.wantsRecords)
      trace.emit({ kind: 'deliver', timeMs: this.queue.now, from: env.from, to: env.to, type: env.event.type, sentAtMs: env.sentAtMs });
    // a line per message: only at 'trace', and the level check keeps the silent default free
    if (this.logsTrace) this.logger.trace({ actor: env.to, from: env.from, type: env.event.type }, 'deliver');
    const prev = this.current;
    this.current = rec;
    try {
      actor.send(env.event);
    } finally {
      this.current = prev;
    }
    this.afterStep(rec!, env.event.type);
  }

  /** @internal */
  dropped(env: Envelope, reason: DropReason): void {
    const trace = this.trace;
    trace.fold(TRACE_DROP, this.queue.now, trace.str(env.from), trace.str(env.to), trace.str(env.event.type));
    if (trace.wantsRecords)
      trace.emit({
        kind: 'drop',
        timeMs: this.queue.now,
        from: env.from,
        to: env.to,
        type: env.event.type,
        reason,
        sentAtMs: env.sentAtMs,
      });
    if (this.logsDebug) this.logger.debug({ actor: env.from, to: env.to, type: env.event.type, reason }, 'drop');
  }

  private fireTimer(t: TimerArg): void {
    const prev = this.current;
    this.current = t.rec;
    try {
      t.fn();
    } finally {
      this.current = prev;
    }
    if (t.rec?.actor !== undefined) this.afterStep(t.rec, 'a timer');
  }

  /** Folds a state change into the trace and surfaces actor errors. */
  private afterStep(rec: Hosted, during: string): void {
    const snap = rec.actor!.getSnapshot() as { status: string; value?: unknown; error?: unknown };
    if (snap === rec.lastSnapshot) return;
    rec.lastSnapshot = snap;
    if (snap.status === 'error') {
      const err = new ActorFailedError(rec.id, this.queue.now, during, snap.error);
      this.halt(rec);
      throw err;
    }
    const value = snap.value;
    const text = typeof value === 'string' ? value : stateValueString(value);
    if (text !== rec.lastValue) {
      if (this.logsDebug) this.logger.debug({ actor: rec.id, state: text, previous: rec.lastValue || undefined }, 'state');
      rec.lastValue = text;
      const trace = this.trace;
      trace.fold(TRACE_STATE, this.queue.now, rec.idHash, trace.str(text), 0);
      if (trace.wantsRecords) trace.emit({ kind: 'state', timeMs: this.queue.now, actor: rec.id, value: text });
    }
  }

  private start(rec: Hosted, change: 'spawn' | 'restart'): void {
    const actor = createActor(rec.logic, { parent: this.root, id: rec.id, input: rec.input } as never) as Actor<AnyActorLogic>;
    rec.actor = actor;
    rec.lastSnapshot = undefined;
    rec.lastValue = '';
    this.byActor.set(actor, rec);
    this.lifecycle(rec, change);
    const prev = this.current;
    this.current = rec;
    try {
      actor.start();
    } finally {
      this.current = prev;
    }
    this.afterStep(rec, 'its start');
  }

  private halt(rec: Hosted): void {
    const actor = rec.actor!;
    rec.actor = undefined;
    // xstate forbids `stop()` on a child ("A non-root actor cannot be stopped
    // directly"); `_stop` is what its parent's `stopChild` calls. It also
    // cancels the actor's pending timers through our clock.
    (actor as unknown as { _stop(): void })._stop();
  }

  private lifecycle(rec: Hosted, change: 'spawn' | 'stop' | 'crash' | 'restart'): void {
    const trace = this.trace;
    trace.fold(TRACE_LIFECYCLE, this.queue.now, rec.idHash, trace.str(change), rec.incarnation);
    if (trace.wantsRecords) trace.emit({ kind: 'lifecycle', timeMs: this.queue.now, actor: rec.id, change });
    // a crash is news; a restart worth a line; spawns and stops come by the thousand
    const level = change === 'crash' ? 'warn' : change === 'restart' ? 'info' : 'debug';
    if (this.logger.isLevelEnabled(level)) this.logger[level]({ actor: rec.id, incarnation: rec.incarnation }, change);
  }

  private require(fn: string, id: string): Hosted {
    checkId(fn, 'id', id);
    const rec = this.actors.get(id);
    if (rec === undefined) throw new KernelInputError(fn, 'id', id, `the id of a spawned actor (known: ${this.sample()})`);
    return rec;
  }

  private sample(): string {
    const ids = [...this.actors.keys()];
    return ids.length === 0 ? 'none' : ids.slice(0, 5).join(', ') + (ids.length > 5 ? `, … ${ids.length - 5} more` : '');
  }
}
