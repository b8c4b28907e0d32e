/**
 * Message delivery with latency and injected faults.
 *
 * Every message between actors is an envelope that the network puts on the
 * event queue after a sampled latency, or drops, or holds. Faults are plain
 * verbs (turmoil's vocabulary): `partition`/`heal`, `hold`/`release`,
 * `setLoss`, `latencySpike`. Delivery semantics, as a value: unordered per
 * link (each message draws its own latency), at most once, no duplication;
 * a partition drops at send time; a hold buffers at arrival time.
 */
import { type Observable, Subject } from 'rxjs';
import { checkNonNegative, checkProbability, KernelInputError } from './errors.ts';
import type { EventQueue } from './event-queue.ts';
import { bindForFork, forkBlank } from './fork-graph.ts';
import type { RandomStream } from './random.ts';
import type { DropReason } from './trace.ts';

/** A message in flight. */
export interface Envelope<E = { type: string }> {
  readonly from: string;
  readonly to: string;
  readonly event: E;
  readonly sentAtMs: number;
  /** @internal the trace hash of `from` when the sender's port knows it (saves a lookup per delivery), else 0 */
  readonly fromHash: number;
}

/** Network settings, all optional. */
export interface NetworkOptions {
  /** Smallest one-way latency in ms. @defaultValue 1 */
  minLatencyMs?: number;
  /** Largest one-way latency in ms (uniform between min and max). @defaultValue 5 */
  maxLatencyMs?: number;
  /** Probability that any message is lost. @defaultValue 0 */
  lossProbability?: number;
}

/** Which actors a fault applies to: ids, or a predicate over ids. */
export type ActorSelector = readonly string[] | ((id: string) => boolean);

export interface NetworkCounts {
  sent: number;
  delivered: number;
  dropped: number;
  droppedByReason: Record<DropReason, number>;
  held: number;
}

interface Link {
  a: (id: string) => boolean;
  b: (id: string) => boolean;
}

function toPredicate(fn: string, arg: string, sel: ActorSelector): (id: string) => boolean {
  if (typeof sel === 'function') return sel;
  // bound, not a closure over the set: a fork copies the set with the rest of the network
  if (Array.isArray(sel)) return bindForFork(isIn, undefined, new Set(sel));
  throw new KernelInputError(fn, arg, sel, 'an array of actor ids or a function (id) => boolean');
}

const isIn = (set: ReadonlySet<string>, id: string): boolean => set.has(id);

const matches = (links: Link[], from: string, to: string): boolean => {
  for (let i = 0; i < links.length; i++) {
    const l = links[i]!;
    if ((l.a(from) && l.b(to)) || (l.b(from) && l.a(to))) return true;
  }
  return false;
};

/** @internal the host's side of delivery */
export interface DeliveryTarget {
  deliver(envelope: Envelope): void;
  dropped(envelope: Envelope, reason: DropReason): void;
}

export class Network {
  private minLatencyMs: number;
  private spanLatencyMs: number;
  private lossProbability: number;
  private partitions: Link[] = [];
  private holds: Link[] = [];
  private heldEnvelopes: Envelope[] = [];
  private spikeExtraMs = 0;
  private spikeUntilMs = -1;
  private spikeAmong: ((id: string) => boolean) | undefined;
  readonly counts: NetworkCounts = {
    sent: 0,
    delivered: 0,
    dropped: 0,
    droppedByReason: { loss: 0, partition: 0, 'no-recipient': 0 },
    held: 0,
  };
  private readonly deliverFn: (env: Envelope) => void;
  private sentSubject: Subject<Envelope> | undefined;

  constructor(
    private readonly queue: EventQueue,
    private readonly random: RandomStream,
    private readonly target: DeliveryTarget,
    options: NetworkOptions = {},
  ) {
    const min = checkNonNegative('createSimulation', 'network.minLatencyMs', options.minLatencyMs ?? 1);
    const max = checkNonNegative('createSimulation', 'network.maxLatencyMs', options.maxLatencyMs ?? Math.max(5, min));
    if (max < min) {
      throw new KernelInputError(
        'createSimulation',
        'network.maxLatencyMs',
        max,
        `>= network.minLatencyMs (${min}): maximum latency must not be below the minimum`,
      );
    }
    this.minLatencyMs = min;
    this.spanLatencyMs = max - min;
    this.lossProbability = checkProbability('createSimulation', 'network.lossProbability', options.lossProbability ?? 0);
    this.deliverFn = bindForFork(Network.prototype.arrive, this);
  }

  /**
   * Sends `event` from `from` to `to`. `latencyMs` overrides the sampled
   * latency; `random` is the sender's stream for the latency and loss draws.
   */
  send(from: string, to: string, event: { type: string }, random: RandomStream | undefined, latencyMs?: number, fromHash = 0): void {
    const c = this.counts;
    c.sent++;
    const env: Envelope = { from, to, event, sentAtMs: this.queue.now, fromHash };
    if (this.sentSubject?.observed) this.sentSubject.next(env);
    if (this.partitions.length > 0 && matches(this.partitions, from, to)) {
      this.drop(env, 'partition');
      return;
    }
    const rng = random ?? this.random;
    if (this.lossProbability > 0 && rng.chance(this.lossProbability)) {
      this.drop(env, 'loss');
      return;
    }
    let delay = latencyMs;
    if (delay === undefined) {
      delay = this.minLatencyMs + (this.spanLatencyMs > 0 ? this.spanLatencyMs * rng.next() : 0);
    } else if (!(delay >= 0) || delay === Infinity) {
      checkNonNegative('send', 'options.latencyMs', delay);
    }
    if (this.spikeUntilMs >= this.queue.now && (this.spikeAmong === undefined || this.spikeAmong(from) || this.spikeAmong(to))) {
      delay += this.spikeExtraMs;
    }
    this.queue.schedule(delay, this.deliverFn, env, to);
  }

  /** Every envelope handed to the network, before faults apply. */
  get sent$(): Observable<Envelope> {
    return (this.sentSubject ??= new Subject<Envelope>()).asObservable();
  }

  /** Drops every message between a member of `a` and a member of `b` (both ways) until `heal`. */
  partition(a: ActorSelector, b: ActorSelector): void {
    this.partitions.push({ a: toPredicate('network.partition', 'a', a), b: toPredicate('network.partition', 'b', b) });
  }

  /** Removes every partition. */
  heal(): void {
    this.partitions = [];
  }

  /** Buffers messages arriving between `a` and `b` (both ways) until `release`. */
  hold(a: ActorSelector, b: ActorSelector): void {
    this.holds.push({ a: toPredicate('network.hold', 'a', a), b: toPredicate('network.hold', 'b', b) });
  }

  /** Ends every hold and delivers the buffered messages now, in arrival order. */
  release(): void {
    this.holds = [];
    const held = this.heldEnvelopes;
    this.heldEnvelopes = [];
    for (const env of held) this.queue.schedule(0, this.deliverFn, env, env.to);
  }

  /** Sets the probability that a message is lost. */
  setLoss(probability: number): void {
    this.lossProbability = checkProbability('network.setLoss', 'probability', probability);
  }

  /** Adds `extraLatencyMs` to messages sent in the next `durationMs` (optionally only to/from `among`). */
  latencySpike(spike: { extraLatencyMs: number; durationMs: number; among?: ActorSelector }): void {
    this.spikeExtraMs = checkNonNegative('network.latencySpike', 'extraLatencyMs', spike?.extraLatencyMs);
    const duration = checkNonNegative('network.latencySpike', 'durationMs', spike.durationMs);
    this.spikeUntilMs = this.queue.now + duration;
    this.spikeAmong = spike.among === undefined ? undefined : toPredicate('network.latencySpike', 'among', spike.among);
  }

  private arrive(env: Envelope): void {
    if (this.holds.length > 0 && matches(this.holds, env.from, env.to)) {
      this.heldEnvelopes.push(env);
      this.counts.held++;
      return;
    }
    this.counts.delivered++;
    this.target.deliver(env);
  }

  /** @internal called by the host when the recipient does not exist */
  undeliverable(env: Envelope): void {
    this.counts.delivered--;
    this.drop(env, 'no-recipient');
  }

  private drop(env: Envelope, reason: DropReason): void {
    this.counts.dropped++;
    this.counts.droppedByReason[reason]++;
    this.target.dropped(env, reason);
  }
}

// a fork copies the network into an instance the constructor made (fork-graph.ts, forkBlank)
forkBlank(Network, () => new Network(undefined as never, undefined as never, undefined as never));
