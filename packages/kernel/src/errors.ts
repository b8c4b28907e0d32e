/**
 * The errors Stampede throws on purpose, for every package: one base class per kind, so that `instanceof` works
 * across packages (the kernel is the package every other one depends on).
 * - `StampedeInputError`: what the caller passed cannot be used (an argument, a topology, an option, a shard file);
 *   the message says what and how to fix it.
 * - `StampedeRunError`: a run that started went wrong (an actor's logic threw, a livelock): a bug or a limit of the
 *   machines, the model's or the user's.
 * Both extend `StampedeError`. Anything else thrown is a bug in Stampede.
 *
 * The kernel's input errors name the function, the argument, the value it got and what it expected, so the caller
 * can fix the call without reading kernel code.
 */

/** Every error Stampede throws on purpose. */
export class StampedeError extends Error {
  override name = 'StampedeError';
}

/** The caller's input cannot be used: the message names what was wrong and how to fix it. */
export class StampedeInputError extends StampedeError {
  override name = 'StampedeInputError';
}

/** A run that started went wrong (an actor failed, a livelock). */
export class StampedeRunError extends StampedeError {
  override name = 'StampedeRunError';
}

/** Thrown when a public kernel function is called with an invalid argument. */
export class KernelInputError extends StampedeInputError {
  override name = 'KernelInputError';
  constructor(
    readonly fn: string,
    readonly arg: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${fn}: ${arg} must be ${expected}, got ${describe(value)}`);
  }
}

/** Thrown when more events than allowed happen at one virtual instant. */
export class LivelockError extends StampedeRunError {
  override name = 'LivelockError';
  constructor(
    readonly timeMs: number,
    readonly events: number,
    /** The actors that owned most of the events at that instant, busiest first. */
    readonly actors: readonly { id: string; events: number }[],
  ) {
    const who = actors.length ? actors.map((a) => `${a.id} (${a.events})`).join(', ') : 'no actor (kernel timers)';
    super(
      `Livelock: ${events} events at virtual time ${timeMs} ms without time advancing; busiest actors: ${who}. ` +
        'An actor is probably re-sending or re-arming a zero-delay timer in a loop; give it a delay, or raise maxEventsPerInstant if this burst is real.',
    );
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Checks that `value` is a finite number >= 0 (a delay, a duration, a time). */
export function checkNonNegative(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new KernelInputError(fn, arg, value, 'a finite number >= 0');
  }
  return value;
}

/** Checks that `value` is a finite number > 0. */
export function checkPositive(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new KernelInputError(fn, arg, value, 'a finite number > 0');
  }
  return value;
}

/** Checks that `value` is an integer >= min. */
export function checkInteger(fn: string, arg: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new KernelInputError(fn, arg, value, `an integer >= ${min}`);
  }
  return value;
}

/** Checks that `value` is a probability in [0, 1]. */
export function checkProbability(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new KernelInputError(fn, arg, value, 'a probability between 0 and 1');
  }
  return value;
}

/** Checks that `value` is a non-empty string (an actor id, a stream name). */
export function checkId(fn: string, arg: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new KernelInputError(fn, arg, value, 'a non-empty string');
  }
  return value;
}

/** Raised when an actor's logic throws; the run stops, naming the actor and the event. */
export class ActorFailedError extends StampedeRunError {
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
