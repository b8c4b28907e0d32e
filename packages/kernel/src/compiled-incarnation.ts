/**
 * The compiled engine: runs a machine from its tables (machine-compiler.ts)
 * with xstate's semantics, event for event, so a run gives the same trace
 * hash on either engine. The facts that decide that:
 *
 * - custom actions run at once, in order; `after` timers are started and
 *   cancelled only when the whole step is done (xstate defers them), so a
 *   timer's queue sequence number follows every message sent in the step;
 * - a delay is resolved at its place in the action order, so it sees context
 *   that earlier actions changed; at start, every custom action is deferred
 *   until the initial state is resolved, so initial delays see the context
 *   before the entry actions ran (as in xstate, where the initial state is
 *   computed before the actor starts);
 * - actions receive the after-event as `xstate.after.<delay>.<stateNodeId>`;
 * - a step that throws leaves the actor failed and its deferred timers unset;
 * - halting runs no exit actions.
 *
 * The object is also the actor's `self` and what `sim.actors.get(id)` returns:
 * `id`, `send`, `getSnapshot`, `subscribe`. An xstate-shaped snapshot is built
 * only when someone asks for one.
 */
import type { AnyActorRef, InspectionEvent, Observer, Subscription } from 'xstate';
import type { PortImpl } from './actor-port.ts';
import { KernelInputError } from './errors.ts';
import type { EventQueue, ScheduledEvent } from './event-queue.ts';
import { BLANK, forkBlank } from './fork-graph.ts';
import type { Incarnation } from './incarnation.ts';
import {
  type CompiledMachine,
  type Guard,
  type Leaf,
  type Plan,
  STEP_ASSIGN,
  STEP_CANCEL_TIMER,
  STEP_CUSTOM,
  STEP_START_TIMER,
  type Step,
} from './machine-compiler.ts';

type EventObject = { type: string };

/** @internal what a compiled actor needs from its host */
export interface CompiledHost {
  readonly queue: EventQueue;
  /** the shared xstate system (passed to actions as `system`, and for inspection events) */
  readonly system: {
    _sendInspectionEvent(ev: unknown): void;
  };
  /** true while someone subscribes to inspection events */
  inspecting: boolean;
  /** fires a compiled actor's after-timer (the host folds the step into the trace) */
  readonly fireTimer: (actor: CompiledIncarnation, handle: ScheduledEvent) => void;
}

// Deferred operations of the steps in progress, as a stack: a step records its base, pushes, and
// flushes and pops back to it, so a nested step (an action sending to another actor directly)
// keeps its own. Parallel arrays and a top index: no object per operation, and no array length
// changes on the hot path (setting .length is a slow builtin).
const opStep: Step[] = [];
const opValue: unknown[] = [];
let opTop = 0;

const noSpawn = () => {
  throw new Error('spawn is not available to compiled machines: run this machine with engine: "xstate"');
};

const INIT = 'xstate.init';

/** A guard's or an action's params: static, or a function of { context, event } (as xstate resolves them). */
const paramsOf = (spec: { params: unknown; paramsFn: boolean }, context: unknown, event: EventObject): unknown =>
  spec.paramsFn ? (spec.params as (a: unknown) => unknown)({ context, event }) : spec.params;

export class CompiledIncarnation implements Incarnation {
  readonly engine = 'compiled';
  context: any;
  leaf!: Leaf;
  private timers: (ScheduledEvent | undefined)[] | undefined = undefined;
  private status: 'active' | 'error' | 'stopped' = 'active';
  private error: unknown = undefined;
  // true from construction until start() has drained its mailbox, and during every step: an event
  // sent to this actor meanwhile (self.send, a nested direct send) waits, as in xstate's mailbox
  private processing = true;
  // the state as of the last completed step: what getSnapshot() shows while a step is under way
  // (xstate's actor.getSnapshot() shows its snapshot of before the step until the step ends)
  private shownContext: any = undefined;
  private shownLeaf!: Leaf;
  /** an observer's error, held until the host has folded the step (then it is thrown) */
  private observerError: { error: unknown } | undefined = undefined;
  private mailbox: EventObject[] | undefined = undefined;
  private observers: Set<Partial<Observer<unknown>>> | undefined = undefined;
  /** initial operations, resolved at construction and run by start() */
  private startOps: [Step, unknown, unknown][] | undefined = undefined;
  private internal: EventObject[] | undefined = undefined;
  /** set by the host: its record of this actor */
  owner: unknown = undefined;

  constructor(
    private readonly cm: CompiledMachine,
    private readonly host: CompiledHost,
    readonly id: string,
    input: unknown,
    private readonly port: PortImpl,
  ) {
    if ((cm as unknown) === BLANK) return; // a fork's blank copy (forkBlank below): the fork fills in every field
    this.leaf = cm.initial;
    this.shownLeaf = cm.initial;
    const initEvent = { type: INIT, input };
    if (host.inspecting) host.system._sendInspectionEvent({ type: '@xstate.actor', actorRef: this });
    // xstate resolves the initial state when the actor is created: context, then the initial
    // microstep, with custom actions deferred until start
    try {
      const config = cm.machine.config as { context?: unknown };
      const ctx = config.context;
      this.context =
        typeof ctx === 'function'
          ? Object.assign({}, ctx({ spawn: noSpawn, input, self: this }))
          : ctx && typeof ctx === 'object'
            ? ctx
            : {};
      const ops: [Step, unknown, unknown][] = [];
      this.startOps = ops;
      this.runSteps(cm.initialSteps, initEvent, true);
      this.drainInternal(true);
      this.shownContext = this.context;
      this.shownLeaf = this.leaf;
    } catch (err) {
      this.fail(err);
    }
  }

  get ref(): AnyActorRef {
    return this as unknown as AnyActorRef;
  }

  /**
   * The kernel port, for portOf(self) without a lookup while this incarnation runs. Once it is
   * stopped or restarted (by its own action, say), portOf goes by id, as for an xstate actor: the
   * new incarnation's port, or an error for an actor that is gone.
   */
  get _port(): PortImpl | undefined {
    return this.status === 'active' ? this.port : undefined;
  }

  /** the shared xstate system, as on an xstate actor */
  get system(): unknown {
    return this.host.system;
  }

  get sessionId(): string {
    return this.id;
  }

  get logic(): unknown {
    return this.cm.machine;
  }

  start(): void {
    const ops = this.startOps;
    this.startOps = undefined;
    if (this.status !== 'active' || ops === undefined) {
      this.processing = false;
      return;
    }
    if (this.host.inspecting) this.inspect({ type: '@xstate.event', sourceRef: undefined, actorRef: this, event: { type: INIT } });
    try {
      // xstate defers every initial action; a deferred timer start re-defers itself to the end of
      // the list, so every initial custom action runs before any timer is started or cancelled
      // (inspection sees each action when xstate's deferred list reaches it: in resolution order)
      for (const [step, value, params] of ops) {
        if (step.k === STEP_CUSTOM) this.perform(step, value, params);
        else if (this.host.inspecting)
          this.inspect({ type: '@xstate.action', actorRef: this, action: { type: step.name, params: undefined } });
      }
      for (const [step, value, params] of ops) if (step.k !== STEP_CUSTOM) this.perform(step, value, params);
    } catch (err) {
      this.processing = false;
      this.fail(err);
      return;
    }
    this.notify({ type: INIT });
    // events sent to it before it started (by its context factory or initial actions) are handled now
    try {
      this.drainMailbox();
    } finally {
      this.processing = false;
    }
  }

  /** Processes `event` now (as xstate's `actor.send`); an event sent during a step waits for it to end. */
  send(event: EventObject): void {
    if (this.status !== 'active') return;
    if (this.processing) {
      (this.mailbox ??= []).push(event);
      return;
    }
    this.processing = true;
    try {
      this.process(event);
      this.drainMailbox();
    } finally {
      this.processing = false;
    }
  }

  private drainMailbox(): void {
    const box = this.mailbox;
    while (box !== undefined && box.length > 0 && this.status === 'active') this.process(box.shift()!);
  }

  takeObserverError(): { error: unknown } | undefined {
    const e = this.observerError;
    this.observerError = undefined;
    return e;
  }

  halt(): void {
    if (this.status === 'active') this.status = 'stopped';
    this.cancelTimers();
    this.mailbox = undefined;
    const obs = this.observers;
    this.observers = undefined;
    if (obs !== undefined) for (const o of obs) o.complete?.();
  }

  failure(): { error: unknown } | undefined {
    return this.status === 'error' ? { error: this.error } : undefined;
  }

  valueText(): string {
    return this.leaf.text;
  }

  valueTextHash(): number {
    return this.leaf.textHash;
  }

  /** An xstate snapshot of the current state (built on demand). */
  getSnapshot(): any {
    const snap = this.cm.machine.resolveState({ value: this.shownLeaf.value as never, context: this.shownContext }) as any;
    if (this.status === 'active') return snap;
    return { ...snap, status: this.status, error: this.error };
  }

  subscribe(
    observerOrNext: Partial<Observer<any>> | ((snapshot: any) => void),
    error?: (err: unknown) => void,
    complete?: () => void,
  ): Subscription {
    const observer: Partial<Observer<unknown>> =
      typeof observerOrNext === 'function' ? { next: observerOrNext, error, complete } : observerOrNext;
    (this.observers ??= new Set()).add(observer);
    return {
      unsubscribe: () => {
        this.observers?.delete(observer);
      },
    };
  }

  /** @internal an after-timer fired (called by the host, which then folds the step) */
  timerFired(handle: ScheduledEvent): void {
    // the timer's slot: its handle is in the table (a timer is started only on entry to its state
    // and cancelled on exit, so a slot never holds two); xstate forgets it before delivering its event
    const timers = this.timers;
    if (timers === undefined) return;
    for (let slot = 0; slot < timers.length; slot++) {
      if (timers[slot] === handle) {
        timers[slot] = undefined;
        this.send(this.cm.timerEvents[slot]!);
        return;
      }
    }
  }

  toJSON(): object {
    return { xstate$$type: 1, id: this.id };
  }

  private process(event: EventObject): void {
    const inspecting = this.host.inspecting;
    if (inspecting) this.inspect({ type: '@xstate.event', sourceRef: undefined, actorRef: this, event });
    const base = opTop;
    let resolved = false;
    try {
      this.microstep(event);
      this.drainInternal(false);
      // the step is resolved: xstate keeps its new snapshot even if a deferred operation then throws
      resolved = true;
      this.shownContext = this.context;
      this.shownLeaf = this.leaf;
      // the deferred timer operations, in the order the step resolved them
      for (let i = base; i < opTop; i++) this.perform(opStep[i]!, opValue[i], undefined);
    } catch (err) {
      // an action or guard threw: xstate discards the step's snapshot (its assigns, its target)
      if (!resolved) {
        this.context = this.shownContext;
        this.leaf = this.shownLeaf;
      }
      this.fail(err);
      return;
    } finally {
      // drop the references (the stack is module-wide and long-lived)
      for (let i = base; i < opTop; i++) {
        opStep[i] = undefined as never;
        opValue[i] = undefined;
      }
      opTop = base;
    }
    this.notify(event);
  }

  /** Selects the first enabled candidate and takes it (custom actions deferred at start). Returns false when none is enabled. */
  private microstep(event: EventObject, deferCustom = false): boolean {
    const plans = this.leaf.plans.get(event.type) ?? this.cm.plansFor(this.leaf, event.type);
    let plan: Plan | undefined;
    for (let i = 0; i < plans.length; i++) {
      const p = plans[i]!;
      if (p.guard === undefined || this.check(p.guard, p, event)) {
        plan = p;
        break;
      }
    }
    if (plan !== undefined) {
      this.runSteps(plan.steps, event, deferCustom);
      if (plan.target !== undefined) this.leaf = plan.target;
    }
    // xstate reports a microstep for every event, a transition taken or not
    if (this.host.inspecting) {
      const snapshot = this.cm.machine.resolveState({ value: this.leaf.value as never, context: this.context });
      this.inspect({ type: '@xstate.microstep', actorRef: this, event, snapshot, _transitions: [] });
    }
    return plan !== undefined;
  }

  /** Events raised by a delay that resolved to no number (xstate raises the event at once). */
  private drainInternal(deferCustom: boolean): void {
    const q = this.internal;
    if (q === undefined) return;
    while (q.length > 0) this.microstep(q.shift()!, deferCustom);
  }

  private check(g: Guard, p: Plan, event: EventObject): boolean {
    try {
      if (g.fn === undefined) throw new Error(`Guard '${g.missing}' is not implemented.'.`);
      const context = this.context;
      return g.fn({ context, event }, paramsOf(g, context, event));
    } catch (err) {
      throw new Error(
        `Unable to evaluate guard ${g.label ? `'${g.label}' ` : ''}in transition for event '${event.type}' in state node '${p.sourceId}':\n${(err as Error)?.message}`,
      );
    }
  }

  /** Runs a step list: custom actions and assigns now (custom deferred at start), timer operations deferred. */
  private runSteps(steps: readonly Step[], event: EventObject, deferCustom: boolean): void {
    const inspecting = this.host.inspecting;
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      // xstate reports built-in actions that execute something (raise, cancel), not assign
      if (inspecting && !deferCustom && (step.k === STEP_START_TIMER || step.k === STEP_CANCEL_TIMER))
        this.inspect({ type: '@xstate.action', actorRef: this, action: { type: step.name, params: undefined } });
      switch (step.k) {
        case STEP_CUSTOM: {
          const context = this.context;
          const params = paramsOf(step, context, event);
          const args = { context, event, self: this, system: this.host.system };
          if (deferCustom) this.startOps!.push([step, args, params]);
          else {
            if (inspecting) this.inspect({ type: '@xstate.action', actorRef: this, action: { type: step.name, params } });
            step.fn(args, params);
          }
          break;
        }
        case STEP_ASSIGN: {
          const context = this.context;
          const params = paramsOf(step, context, event);
          const args = { context, event, spawn: noSpawn, self: this, system: this.host.system };
          const assignment = step.fn;
          let partial: Record<string, unknown>;
          if (typeof assignment === 'function') partial = assignment(args, params);
          else {
            partial = {};
            for (const key of Object.keys(assignment)) {
              const a = assignment[key];
              partial[key] = typeof a === 'function' ? a(args, params) : a;
            }
          }
          this.context = Object.assign({}, context, partial);
          break;
        }
        case STEP_START_TIMER: {
          const d = step.delay;
          let delay: unknown = d;
          if (typeof d === 'string') {
            const configured = this.cm.delays[d];
            delay =
              typeof configured === 'function'
                ? configured({ context: this.context, event, self: this, system: this.host.system }, undefined)
                : configured;
          }
          if (typeof delay !== 'number') {
            (this.internal ??= []).push(step.event!);
            break;
          }
          this.defer(step, delay, deferCustom);
          break;
        }
        case STEP_CANCEL_TIMER:
          this.defer(step, undefined, deferCustom);
          break;
      }
    }
  }

  private defer(step: Step, value: unknown, atStart: boolean): void {
    if (atStart) {
      this.startOps!.push([step, value, undefined]);
      return;
    }
    opStep[opTop] = step;
    opValue[opTop] = value;
    opTop++;
  }

  /** Carries out one deferred operation. */
  private perform(step: Step, value: unknown, params: unknown): void {
    switch (step.k) {
      case STEP_START_TIMER: {
        // stopped during its own step (an action stopped it): xstate starts the timer and its stop
        // cancels it before it can fire; here it is simply not started
        if (this.status !== 'active') break;
        const ms = value as number;
        if (!(ms >= 0) || ms === Infinity) {
          throw new KernelInputError('xstate clock setTimeout', 'delay (from an `after` or a delayed action)', ms, 'a finite number >= 0');
        }
        const timers = (this.timers ??= new Array(this.cm.timerSlots));
        timers[step.slot] = this.host.queue.schedule(ms, this.host.fireTimer, this, this.id);
        break;
      }
      case STEP_CANCEL_TIMER: {
        const timers = this.timers;
        if (timers === undefined) break;
        const h = timers[step.slot];
        timers[step.slot] = undefined;
        if (h !== undefined) this.host.queue.cancel(h);
        break;
      }
      case STEP_CUSTOM:
        if (this.host.inspecting) this.inspect({ type: '@xstate.action', actorRef: this, action: { type: step.name, params } });
        step.fn(value, params);
        break;
    }
  }

  private cancelTimers(): void {
    const timers = this.timers;
    if (timers === undefined) return;
    for (let i = 0; i < timers.length; i++) {
      const h = timers[i];
      if (h !== undefined) this.host.queue.cancel(h);
      timers[i] = undefined;
    }
  }

  private fail(err: unknown): void {
    this.status = 'error';
    this.error = err;
    this.cancelTimers();
    this.mailbox = undefined;
    const obs = this.observers;
    this.observers = undefined; // xstate drops them after error: no complete follows
    if (obs !== undefined)
      for (const o of obs) {
        try {
          o.error?.(err);
        } catch (e) {
          this.observerError ??= { error: e };
        }
      }
  }

  /** After every processed event, as xstate does (even when nothing changed). */
  private notify(event: EventObject): void {
    const obs = this.observers;
    const inspecting = this.host.inspecting;
    if ((obs === undefined || obs.size === 0) && !inspecting) return;
    const snapshot = this.getSnapshot();
    // an observer that throws must not cut the step short (the host has yet to fold it): its error
    // is held and thrown by the host afterwards
    if (obs !== undefined)
      for (const o of obs) {
        try {
          o.next?.(snapshot);
        } catch (err) {
          this.observerError ??= { error: err };
        }
      }
    if (inspecting) this.inspect({ type: '@xstate.snapshot', actorRef: this, event, snapshot });
  }

  private inspect(ev: Omit<InspectionEvent, 'rootId'> | Record<string, unknown>): void {
    this.host.system._sendInspectionEvent(ev);
  }
}

forkBlank(CompiledIncarnation, () => new CompiledIncarnation(BLANK as never, undefined as never, '', undefined, undefined as never));
