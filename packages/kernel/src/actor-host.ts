/**
 * Hosts actors on the kernel: spawn with ids, deliver network envelopes to
 * per-actor inboxes (a Map by id), run their timers on the virtual clock, and
 * stop, crash and restart them. Each actor's logic runs on an engine
 * (incarnation.ts): a machine compiled to tables (compiled-incarnation.ts, the
 * default) or xstate's own interpreter (xstate-incarnation.ts: the reference,
 * and the fallback for logic the compiler does not take). The host folds
 * every delivery, state change and lifecycle change into the trace the same
 * way whatever the engine, so both give the same trace hash.
 *
 * Actors never talk to each other directly (`sendTo` between actors is
 * synchronous and nested in xstate); they send through `portOf(self).send(...)`
 * or the `send(...)` action, which hands the message to the network.
 */
import { Observable } from 'rxjs';
import {
  type Actor,
  type AnyActorLogic,
  type AnyActorRef,
  createActor,
  type InputFrom,
  type InspectionEvent,
  type SnapshotFrom,
} from 'xstate';
import { type ActorPort, PortImpl } from './actor-port.ts';
import { type CompiledHost, CompiledIncarnation } from './compiled-incarnation.ts';
import { ActorFailedError, checkId, KernelInputError } from './errors.ts';
import type { EventQueue, ScheduledEvent } from './event-queue.ts';
import { BLANK, bindForFork, FORK_RESETS, forkBlank } from './fork-graph.ts';
import type { EngineName, Incarnation } from './incarnation.ts';
import type { Logger } from './logger.ts';
import { compileMachine } from './machine-compiler.ts';
import type { Envelope, Network } from './network.ts';
import type { RandomStream } from './random.ts';
import { type DropReason, TRACE_DELIVER, TRACE_DROP, TRACE_LIFECYCLE, TRACE_STATE, type Trace } from './trace.ts';
import { type RootActor, rootLogic, XstateIncarnation } from './xstate-incarnation.ts';

export type { ActorPort } from './actor-port.ts';
export { ActorFailedError } from './errors.ts';
export { stateValueString } from './state-value.ts';

export interface SpawnOptions<TLogic extends AnyActorLogic> {
  /** Unique actor id; used for routing, the trace hash and random stream names. */
  id: string;
  input?: InputFrom<TLogic>;
}

/**
 * What a simulation's `actors` offers its users: spawn, look up, stop, crash and restart actors, find an actor's
 * port and engine, and observe snapshots and inspection events. The host's delivery hooks stay inside the kernel.
 */
export type Actors = Pick<
  ActorHost,
  'ids' | 'spawn' | 'get' | 'engineOf' | 'has' | 'portOf' | 'stop' | 'crash' | 'restart' | 'snapshots$' | 'inspection$'
>;

/** @internal one hosted actor */
interface Hosted {
  readonly id: string;
  readonly idHash: number;
  readonly logic: AnyActorLogic;
  readonly input: unknown;
  incarnation: number;
  /** the running incarnation; undefined while crashed */
  inc: Incarnation | undefined;
  lastValue: string;
  port: PortImpl | undefined;
}

interface TimerArg {
  fn: () => void;
  rec: Hosted | undefined;
}

/** @internal which host runs an xstate system: `portOf(self)` for an actor on xstate finds its host by its system */
export const hostOfSystem = new WeakMap<object, ActorHost>();

/** What a compiled actor needs from its host: a class, not an object literal, so that a fork copies it as data. */
class CompiledHostOf implements CompiledHost {
  inspecting = false;
  readonly fireTimer: CompiledHost['fireTimer'];
  constructor(
    readonly queue: EventQueue,
    private readonly host: ActorHost,
  ) {
    this.fireTimer = bindForFork(fireCompiledTimer, undefined, host);
  }
  get system(): CompiledHost['system'] {
    return this.host.xstateRoot.system as unknown as CompiledHost['system'];
  }
}

function fireCompiledTimer(host: ActorHost, actor: CompiledIncarnation, handle: ScheduledEvent): void {
  host.compiledTimerFired(actor, handle);
}

export class ActorHost {
  private readonly actors = new Map<string, Hosted>();
  /**
   * xstate's root actor, made on first use: its system is what actions get as `system`, and what actors on xstate run
   * in. A fork makes its own (FORK_RESETS): it holds no actor's state while every actor is compiled.
   */
  private root: RootActor | undefined = undefined;
  /** The actor whose event is being processed (timers it sets belong to it). */
  private current: Hosted | undefined;
  private readonly fireTimerFn = bindForFork(ActorHost.prototype.fireTimer, this) as (t: TimerArg) => void;
  // pino's isLevelEnabled costs ~60 ns: asked per delivery and per state change, it is read once and
  // again only when the level changes
  private logsDebug = false;
  private logsTrace = false;
  private readonly compiledHost: CompiledHostOf;
  private inspectors = 0;
  /** logic already reported (at debug) as running on xstate, so the line comes once, not per actor */
  private readonly explained = new Set<object>();

  constructor(
    readonly queue: EventQueue,
    readonly network: Network,
    readonly random: RandomStream,
    readonly trace: Trace,
    readonly logger: Logger,
    /** which engine runs machines: 'compiled' (the default; xstate for what does not compile) or 'xstate' */
    readonly engine: EngineName = 'compiled',
  ) {
    this.compiledHost = new CompiledHostOf(queue, this);
    if ((queue as unknown) === BLANK) return; // a fork's blank copy (forkBlank below): the fork fills in every field
    this.watchLogLevels();
  }

  /** @internal reads the logger's levels now and whenever they change (a fork calls it for its own logger) */
  watchLogLevels(): void {
    const logger = this.logger;
    const levels = () => {
      this.logsDebug = logger.isLevelEnabled('debug');
      this.logsTrace = logger.isLevelEnabled('trace');
    };
    levels();
    logger.on('level-change', levels);
  }

  /** @internal whether someone subscribes to inspection events (a fork cannot copy a subscriber) */
  get inspected(): boolean {
    return this.inspectors > 0;
  }

  /** @internal xstate's root actor, made on first use: its system is shared by every actor on xstate */
  get xstateRoot(): RootActor {
    if (this.root !== undefined) return this.root;
    const root = createActor(rootLogic, {
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
          if (handle !== undefined) this.queue.cancel(handle);
        },
      },
      logger: (...args: unknown[]) => this.logger.info({ xstate: args }, 'xstate log'),
    });
    this.root = root;
    root.start();
    hostOfSystem.set(root.system, this);
    // A timer belongs to the actor that sets it, also when that actor was driven by a direct
    // actor.send from outside a delivery (no current actor then): xstate's scheduler names its
    // source, so the clock learns the owner from there and the timer's step is folded as on the
    // compiled engine.
    const scheduler = root.system.scheduler as { schedule: (source: AnyActorRef, ...rest: unknown[]) => void };
    const schedule = scheduler.schedule;
    scheduler.schedule = (source, ...rest) => {
      const prev = this.current;
      const owner = this.actors.get((source as { id?: string })?.id as string);
      if (owner?.inc?.ref === source) this.current = owner;
      try {
        schedule(source, ...rest);
      } finally {
        this.current = prev;
      }
    };
    return root;
  }

  /** @internal a compiled actor's after-timer fired: run it and fold the step */
  compiledTimerFired(actor: CompiledIncarnation, handle: ScheduledEvent): void {
    const rec = actor.owner as Hosted;
    if (rec.inc !== actor) return;
    actor.timerFired(handle);
    this.afterStep(rec, 'a timer');
  }

  /** Ids of the running actors, in spawn order. */
  ids(): string[] {
    const out: string[] = [];
    for (const [id, rec] of this.actors) if (rec.inc) out.push(id);
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
      inc: undefined,
      lastValue: '',
      port: undefined,
    };
    this.actors.set(id, rec);
    this.start(rec, 'spawn');
    return rec.inc!.ref as Actor<TLogic>;
  }

  /** The running actor with this id (for a compiled machine, an actor-like object: id, send, getSnapshot, subscribe). */
  get<TLogic extends AnyActorLogic = AnyActorLogic>(id: string): Actor<TLogic> {
    const rec = this.actors.get(id);
    if (rec?.inc === undefined) {
      throw new KernelInputError(
        'actor',
        'id',
        id,
        rec ? 'a running actor (this one is crashed; restart it first)' : `the id of a spawned actor (known: ${this.sample()})`,
      );
    }
    return rec.inc.ref as Actor<TLogic>;
  }

  /** Which engine runs this actor: 'compiled', or 'xstate' (asked for, or its logic does not compile: see `whyNotCompiled`). */
  engineOf(id: string): EngineName {
    const rec = this.actors.get(id);
    if (rec?.inc === undefined) return this.get(id) as never; // throws the usual error
    return rec.inc.engine;
  }

  has(id: string): boolean {
    return this.actors.get(id)?.inc !== undefined;
  }

  /** The port through which actor `self` acts on the world. */
  portOf(self: AnyActorRef): ActorPort {
    // by id, not by actor object: xstate resolves initial delays inside createActor, before the host
    // holds the actor, and a delay may draw from the port (a random first delay)
    const id = (self as { id?: unknown })?.id;
    const rec = typeof id === 'string' ? this.actors.get(id) : undefined;
    if (rec === undefined) {
      throw new KernelInputError('portOf', 'self', id ?? self, 'an actor spawned by this simulation');
    }
    return (rec.port ??= new PortImpl(this, rec.id, rec.incarnation, rec.idHash));
  }

  /** Stops an actor for good and forgets its id. Its pending timers are cancelled. */
  stop(id: string): void {
    const rec = this.require('stop', id);
    if (rec.inc) this.halt(rec);
    this.actors.delete(id);
    this.lifecycle(rec, 'stop');
  }

  /** Kills an actor abruptly; messages to it are dropped until `restart`. */
  crash(id: string): void {
    const rec = this.require('crash', id);
    if (rec.inc === undefined) throw new KernelInputError('crash', 'id', id, 'a running actor (this one is already crashed)');
    this.halt(rec);
    this.lifecycle(rec, 'crash');
  }

  /** Starts a fresh incarnation of a crashed (or running: a bounce) actor from its initial state. */
  restart(id: string): void {
    const rec = this.require('restart', id);
    if (rec.inc) this.halt(rec);
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
      const s = this.xstateRoot.system.inspect((ev: InspectionEvent) => sub.next(ev));
      this.compiledHost.inspecting = ++this.inspectors > 0;
      return () => {
        s.unsubscribe();
        this.compiledHost.inspecting = --this.inspectors > 0;
      };
    });
  }

  /** @internal hot path: network → inbox */
  deliver(env: Envelope): void {
    const rec = this.actors.get(env.to);
    const inc = rec?.inc;
    if (inc === undefined) {
      this.network.undeliverable(env);
      return;
    }
    const trace = this.trace;
    trace.fold(TRACE_DELIVER, this.queue.now, env.fromHash || trace.str(env.from), rec!.idHash, trace.str(env.event.type));
    if (trace.wantsRecords)
      trace.emit({ kind: 'deliver', timeMs: this.queue.now, from: env.from, to: env.to, type: env.event.type, sentAtMs: env.sentAtMs });
    // a line per message: only at 'trace', and the level check keeps the silent default free
    if (this.logsTrace) this.logger.trace({ actor: env.to, from: env.from, type: env.event.type }, 'deliver');
    // the current actor: an xstate actor reached by a nested direct send sets its timers on its behalf
    const prev = this.current;
    this.current = rec;
    try {
      inc.send(env.event);
    } finally {
      this.current = prev;
    }
    this.afterStep(rec!, env.event.type);
  }

  /** @internal */
  dropped(env: Envelope, reason: DropReason): void {
    const trace = this.trace;
    trace.fold(TRACE_DROP, this.queue.now, env.fromHash || trace.str(env.from), trace.str(env.to), trace.str(env.event.type));
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
    if (t.rec?.inc !== undefined) this.afterStep(t.rec, 'a timer');
  }

  /** Folds a state change into the trace and surfaces actor errors. */
  private afterStep(rec: Hosted, during: string): void {
    const inc = rec.inc;
    // stopped or crashed by its own action: nothing more to fold (a restart folded its new start already)
    if (inc === undefined) return;
    const failed = inc.failure();
    if (failed !== undefined) {
      const err = new ActorFailedError(rec.id, this.queue.now, during, failed.error);
      this.halt(rec);
      throw err;
    }
    const text = inc.valueText();
    if (text !== rec.lastValue) {
      if (this.logsDebug) this.logger.debug({ actor: rec.id, state: text, previous: rec.lastValue || undefined }, 'state');
      rec.lastValue = text;
      const trace = this.trace;
      trace.fold(TRACE_STATE, this.queue.now, rec.idHash, inc.valueTextHash() || trace.str(text), 0);
      if (trace.wantsRecords) trace.emit({ kind: 'state', timeMs: this.queue.now, actor: rec.id, value: text });
    }
    // an observer that threw during the step: surfaced now that the step is folded (the run stops)
    const thrown = inc.takeObserverError();
    if (thrown !== undefined) throw thrown.error;
  }

  private start(rec: Hosted, change: 'spawn' | 'restart'): void {
    rec.lastValue = '';
    const prev = this.current;
    this.current = rec;
    try {
      rec.inc = this.incarnate(rec);
      this.lifecycle(rec, change);
      rec.inc.start();
    } finally {
      this.current = prev;
    }
    this.afterStep(rec, 'its start');
  }

  private incarnate(rec: Hosted): Incarnation {
    if (this.engine === 'compiled') {
      const cm = compileMachine(rec.logic);
      if (typeof cm !== 'string') {
        const port = (rec.port ??= new PortImpl(this, rec.id, rec.incarnation, rec.idHash));
        const inc = new CompiledIncarnation(cm, this.compiledHost, rec.id, rec.input, port);
        inc.owner = rec;
        return inc;
      }
      if (!this.explained.has(rec.logic)) {
        this.explained.add(rec.logic);
        if (this.logsDebug) this.logger.debug({ actor: rec.id, engine: 'xstate', reason: cm }, `runs on xstate, not compiled: ${cm}`);
      }
    }
    return new XstateIncarnation(rec.logic, this.xstateRoot, rec.id, rec.input);
  }

  private halt(rec: Hosted): void {
    const inc = rec.inc!;
    rec.inc = undefined;
    inc.halt();
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
(ActorHost.prototype as unknown as Record<symbol, readonly string[]>)[FORK_RESETS] = ['root'];
// a fork copies the host into instances the constructors made (fork-graph.ts, forkBlank)
forkBlank(ActorHost, () => new ActorHost(BLANK as never, undefined as never, undefined as never, undefined as never, undefined as never));
forkBlank(CompiledHostOf, () => new CompiledHostOf(undefined as never, undefined as never));
