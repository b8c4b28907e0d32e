/**
 * Copying a running simulation's object graph, for a fork: every actor's
 * state, every pending event and message, the random streams, the trace and
 * the metrics, copied once so that the copy runs on from the same instant
 * without touching the original.
 *
 * The graph is copied generically (prototypes kept, shared references kept
 * shared, cycles kept), which works because a run holds data, not closures.
 * A function in the graph is the one thing a copy cannot see into, so every
 * function must say how a fork gets it:
 *
 * - `forkSafe(fn)`: a module-level function holding no run state; the fork
 *   uses the same function.
 * - `bindForFork(fn, self, ...args)`: `fn.bind(self, ...args)`, re-bound in the
 *   fork to the fork's copies of `self` and `args` (the timer callbacks, the
 *   metrics' readers, the network's delivery).
 *
 * Any other function stops the fork with a `NotForkableError` naming where it
 * sits in the graph, so a snapshot is complete by construction or refused.
 * Immutable definitions (compiled machine tables, xstate machines, frozen
 * parameters) are shared by the fork and its parent, never copied.
 */
import { StateMachine } from 'xstate';

/** The fork cannot copy the simulation; `path` says where the state it cannot copy sits. */
export class NotForkableError extends Error {
  override readonly name = 'NotForkableError';
}

interface Binding {
  readonly fn: (...args: any[]) => unknown;
  readonly self: unknown;
  readonly args: readonly unknown[];
}

const bindings = new WeakMap<object, Binding>();
const blanks = new WeakMap<object, () => object>();
const safeFunctions = new WeakSet<object>();
const sharedObjects = new WeakSet<object>();

/** Marks a module-level function that holds no run state: a fork uses it as it is. Returns `fn`. */
export function forkSafe<F extends (...args: any[]) => unknown>(fn: F): F {
  safeFunctions.add(fn);
  return fn;
}

/**
 * `fn.bind(self, ...args)`, which a fork re-binds to its own copies of `self` and `args`. `fn` itself must hold no run
 * state (a module-level function or a class's method): what it needs comes through `self` and `args`.
 */
export function bindForFork<F extends (...args: any[]) => any>(fn: (...args: any[]) => unknown, self: unknown, ...args: unknown[]): F {
  const bound = fn.bind(self, ...args);
  bindings.set(bound, { fn, self, args });
  return bound as F;
}

/** Marks an object that never changes once made (a compiled machine's tables): forks share it instead of copying it. */
export function shareAcrossForks<T extends object>(obj: T): T {
  sharedObjects.add(obj);
  return obj;
}

/**
 * What a constructor gets as an argument when `forkBlank`'s `make` builds a blank instance (for a constructor that would
 * otherwise touch the simulation): it checks for it first and returns before doing anything.
 */
export const BLANK: unique symbol = Symbol('stampede.forkBlankInstance');

/**
 * How a fork makes a copy of a class's instance: `make` returns a new instance made by the class's own constructor
 * (its fields then overwritten with the copies), e.g. `forkBlank(Pool, () => new Pool(BLANK as never))`. Without it a
 * copy is `Object.create(prototype)`, which works but has another hidden class than instances the constructor made, so
 * code that meets both turns polymorphic and slows every run in the process (measured: forked runs 1.5-2x slower).
 * Register the classes a run holds many of, or uses on its hot path; `make` must not touch the simulation.
 */
export function forkBlank(cls: abstract new (...args: any[]) => unknown, make: () => object): void {
  blanks.set(cls.prototype as object, make);
}

/**
 * On a class's prototype: the own fields a fork leaves unset, caches the copy rebuilds on first use (a pino child
 * logger, an adapter over the queue).
 */
export const FORK_RESETS: unique symbol = Symbol('stampede.forkResets');

// frozen objects found to be deeply immutable, or not (a frozen object cannot change, so neither can the answer,
// unless a mutable part is frozen later: then it is copied once more than needed)
const immutable = new WeakSet<object>();
const notImmutable = new WeakSet<object>();

/**
 * Whether `obj` can be shared by a fork and its parent: marked with shareAcrossForks, an xstate machine (a definition:
 * see the note on machines in docs/kernel.md), or frozen all the way down (a frozen Map, Set or typed array is not:
 * freezing leaves their contents writable; nor is a frozen object holding a mutable one or a bound function).
 */
function isShared(obj: object): boolean {
  if (sharedObjects.has(obj) || obj instanceof StateMachine) return true;
  if (!Object.isFrozen(obj)) return false;
  // a positive answer inside a cycle rests on the assumption that the objects still being looked at are immutable:
  // kept only when the whole walk says so (a negative answer rests on a mutable part actually found, so it always holds)
  const provisional = new Set<object>();
  const ok = deeplyFrozen(obj, new Set(), provisional);
  if (ok) for (const o of provisional) immutable.add(o);
  return ok;
}

/**
 * Within one walk an object that passed counts as passed when met again (else a frozen graph with shared parts is
 * walked once per path: exponential); should the walk fail, nothing it found is kept, so that is sound.
 */
function deeplyFrozen(obj: object, visiting: Set<object>, provisional: Set<object>): boolean {
  if (immutable.has(obj) || sharedObjects.has(obj) || obj instanceof StateMachine || visiting.has(obj) || provisional.has(obj)) return true;
  if (notImmutable.has(obj)) return false;
  let ok =
    Object.isFrozen(obj) &&
    !(obj instanceof Map || obj instanceof Set || ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer || obj instanceof Date);
  visiting.add(obj);
  if (ok) {
    for (const k of Reflect.ownKeys(obj)) {
      const d = Object.getOwnPropertyDescriptor(obj, k)!;
      const v = d.value as unknown;
      if (d.get !== undefined || d.set !== undefined) ok = false;
      else if (typeof v === 'function') ok = safeFunctions.has(v);
      else if (v !== null && typeof v === 'object') ok = deeplyFrozen(v, visiting, provisional);
      if (!ok) break;
    }
  }
  visiting.delete(obj);
  if (ok) provisional.add(obj);
  else notImmutable.add(obj);
  return ok;
}

const BUILTIN_VIEWS = new Set<unknown>([
  DataView,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
]);

function resetsOf(obj: object): readonly string[] | undefined {
  return (obj as { [FORK_RESETS]?: readonly string[] })[FORK_RESETS];
}

/**
 * Copies the graph reachable from `root`. `memo` maps objects to what the copy uses instead (a fork's own logger, say)
 * and receives every copy made. Throws NotForkableError (without a path: `findUnforkable` says where) at a function
 * neither forkSafe nor bound for forks, a WeakMap, WeakSet, WeakRef, Promise or SharedArrayBuffer, or a Map or Set
 * subclass without forkBlank. Errors are shared as values; typed arrays are views over copies of their buffers.
 */
export function copyGraph<T>(root: T, memo: Map<unknown, unknown>): T {
  // pairs (source, copy) whose fields are still to fill: a worklist, not recursion, so that a deep graph
  // (a queue holding envelopes holding events) cannot overflow the stack
  const work: object[] = [];
  const copy = (v: unknown): unknown => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
    const known = memo.get(v);
    if (known !== undefined || memo.has(v)) return known;
    if (typeof v === 'function') {
      const b = bindings.get(v);
      if (b !== undefined) {
        const rebound = bindForFork(b.fn, copy(b.self), ...b.args.map(copy));
        memo.set(v, rebound);
        return rebound;
      }
      if (safeFunctions.has(v)) return v;
      throw new NotForkableError(`function ${v.name || '(anonymous)'} is neither forkSafe nor bound with bindForFork`);
    }
    const obj = v as object;
    if (isShared(obj)) return obj;
    let out: object;
    // copies take the original's shape where the engine lets them (a slice keeps an array's element kind, a spread
    // keeps a plain object's hidden class): code that runs on both originals and copies stays monomorphic
    if (Array.isArray(obj)) out = obj.slice();
    else if (obj instanceof Map || obj instanceof Set) {
      const proto = Object.getPrototypeOf(obj) as object;
      const blank = blanks.get(proto);
      if (blank === undefined && proto !== Map.prototype && proto !== Set.prototype)
        throw new NotForkableError(`a subclass of ${obj instanceof Map ? 'Map' : 'Set'} without forkBlank`);
      out = blank !== undefined ? blank() : obj instanceof Map ? new Map() : new Set();
    } else if (ArrayBuffer.isView(obj)) {
      // a view over a copy of its buffer: views that shared a buffer share the copy
      const view = obj as unknown as { buffer: ArrayBuffer; byteOffset: number; byteLength: number; BYTES_PER_ELEMENT?: number };
      const buffer = copy(view.buffer) as ArrayBuffer;
      // made by the built-in constructor under the view's own class: a Node Buffer is not made by its deprecated one
      const Ctor = obj.constructor as new (...args: unknown[]) => object;
      let Base = Ctor;
      while (!BUILTIN_VIEWS.has(Base)) Base = Object.getPrototypeOf(Base) as typeof Ctor;
      const length = obj instanceof DataView ? view.byteLength : view.byteLength / view.BYTES_PER_ELEMENT!;
      out = Reflect.construct(Base, [buffer, view.byteOffset, length], Ctor) as object;
      memo.set(obj, out);
      return out;
    } else if (obj instanceof ArrayBuffer) {
      out = obj.slice(0);
      memo.set(obj, out);
      return out;
    } else if (obj instanceof Date) {
      out = new Date(obj.getTime());
      memo.set(obj, out);
      return out;
    } else if (obj instanceof Error) {
      return obj; // a value, as thrown: its message and stack are not state
    } else if (
      obj instanceof WeakMap ||
      obj instanceof WeakSet ||
      obj instanceof WeakRef ||
      obj instanceof Promise ||
      (typeof SharedArrayBuffer !== 'undefined' && obj instanceof SharedArrayBuffer)
    ) {
      throw new NotForkableError(
        `a ${obj.constructor.name} (its contents cannot be read, or are shared by design, so it cannot be copied)`,
      );
    } else {
      const proto = Object.getPrototypeOf(obj) as object | null;
      const blank = proto === null ? undefined : blanks.get(proto);
      out = proto === Object.prototype ? { ...obj } : blank !== undefined ? blank() : (Object.create(proto) as object);
    }
    memo.set(obj, out);
    work.push(obj, out);
    return out;
  };
  const result = copy(root) as T;
  while (work.length > 0) {
    const dst = work.pop() as any;
    const src = work.pop() as any;
    if (Array.isArray(src)) {
      for (let i = 0; i < src.length; i++) dst[i] = copy(src[i]);
    } else if (src instanceof Map || src instanceof Set) {
      if (src instanceof Map) for (const [k, v] of src) dst.set(copy(k), copy(v));
      else for (const k of src) dst.add(copy(k));
      // a registered subclass's own fields
      for (const k of Object.keys(src)) dst[k] = copy((src as unknown as Record<string, unknown>)[k]);
    } else {
      const resets = resetsOf(src);
      for (const k of Object.keys(src)) dst[k] = resets?.includes(k) ? undefined : copy(src[k]);
    }
  }
  return result;
}

/**
 * Where the graph from `root` holds what a fork cannot copy, as a path from the root (`root.actors.actors.get("a").inc.
 * context.fn: function fn is …`), or undefined when it can be copied. Breadth-first, so the path is a shortest one.
 * Also finds what the copy itself does not check, for speed: accessors defined on an object itself (`{ get x() {…} }`,
 * which a copy would read as values), properties a copy drops or shares (symbol-keyed, not enumerable, or named
 * properties of an array), and
 * Map or Set subclasses without forkBlank. forkSimulation relies on this having been asked once for a run like it.
 */
export function findUnforkable(root: unknown, rootName: string, skip: ReadonlySet<unknown> = new Set()): string | undefined {
  const seen = new Set<unknown>(skip);
  const queue: [unknown, string][] = [[root, rootName]];
  const visit = (v: unknown, path: string): string | undefined => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v)) return undefined;
    seen.add(v);
    if (typeof v === 'function') {
      const b = bindings.get(v);
      if (b !== undefined) {
        queue.push([b.self, `${path}(bound this)`]);
        for (let i = 0; i < b.args.length; i++) queue.push([b.args[i], `${path}(bound argument ${i})`]);
        return undefined;
      }
      if (safeFunctions.has(v)) return undefined;
      return `${path}: function ${v.name || '(anonymous)'} holds state a fork cannot copy (mark a module-level function forkSafe, or bind it with bindForFork)`;
    }
    const obj = v as object;
    if (isShared(obj) || obj instanceof Error) return undefined;
    const name = (obj.constructor as { name?: string } | undefined)?.name ?? 'object';
    if (
      obj instanceof WeakMap ||
      obj instanceof WeakSet ||
      obj instanceof WeakRef ||
      obj instanceof Promise ||
      (typeof SharedArrayBuffer !== 'undefined' && obj instanceof SharedArrayBuffer)
    )
      return `${path}: a ${name}, whose contents a fork cannot copy`;
    if (ArrayBuffer.isView(obj)) {
      const named = Reflect.ownKeys(obj).find((k) => typeof k === 'symbol' || !/^(0|[1-9]\d*)$/.test(k));
      return named === undefined ? undefined : `${path}.${String(named)}: a named property on a typed array, which a copy drops`;
    }
    if (obj instanceof ArrayBuffer || obj instanceof Date) return undefined;
    if (
      (obj instanceof Map || obj instanceof Set) &&
      !blanks.has(Object.getPrototypeOf(obj)) &&
      Object.getPrototypeOf(obj) !== Map.prototype &&
      Object.getPrototypeOf(obj) !== Set.prototype
    )
      return `${path}: a ${name} (a subclass of ${obj instanceof Map ? 'Map' : 'Set'}): register it with forkBlank, or a copy is a plain one`;
    if (obj instanceof Map)
      for (const [k, x] of obj) queue.push([k, `${path}.keys()`], [x, `${path}.get(${JSON.stringify(k) ?? String(k)})`]);
    else if (obj instanceof Set) for (const k of obj) queue.push([k, `${path}.values()`]);
    // every own property: what a copy drops (not enumerable, or beside an array's items) or reads wrongly (accessors)
    const resets = resetsOf(obj);
    const isArray = Array.isArray(obj);
    for (const k of Reflect.ownKeys(obj)) {
      if (typeof k === 'string' && resets?.includes(k)) continue;
      if (isArray && (k === 'length' || (typeof k === 'string' && /^(0|[1-9]\d*)$/.test(k)))) continue;
      const at = typeof k === 'symbol' ? `${path}[${String(k)}]` : `${path}.${k}`;
      const d = Object.getOwnPropertyDescriptor(obj, k)!;
      if (isArray) return `${at}: a named property on an array, which a copy drops`;
      if (typeof k === 'symbol') return `${at}: a symbol-keyed property, which a copy does not copy (use a string key)`;
      if (!d.enumerable) return `${at}: a property that is not enumerable, which a copy drops`;
      if (d.get !== undefined || d.set !== undefined) return `${at}: an accessor on the object itself, which a copy would read as a value`;
      queue.push([d.value, at]);
    }
    if (isArray) for (let i = 0; i < (obj as unknown[]).length; i++) queue.push([(obj as unknown[])[i], `${path}[${i}]`]);
    return undefined;
  };
  for (let i = 0; i < queue.length; i++) {
    const [v, path] = queue[i]!;
    const found = visit(v, path);
    if (found !== undefined) return found;
  }
  return undefined;
}
