/**
 * The machine compiler: walks an xstate v5 machine definition once into flat
 * tables, so that handling an event is a lookup and a loop instead of
 * xstate's interpreter (its microstep, memo, eventless-transition selection
 * and per-timer string ids are most of the cost of a simulation).
 *
 * For each leaf state and event type it keeps the candidate transitions,
 * inner states first and in document order, each with its guard and one flat
 * list of steps: exit actions (deepest state first), the transition's
 * actions, entry actions (outermost first), with the `after` timers' starts
 * and cancels where xstate puts them (after the state's own entry and exit
 * actions). The exit and entry sets follow xstate's own algorithm (ported
 * below helper for helper: transition domain, proper ancestors, default
 * entry), evaluated once per (leaf, transition) instead of per event.
 *
 * What compiles: atomic and compound states, `initial` (with actions),
 * `on` with guarded candidate arrays, targetless and blocking `{}`
 * transitions, sibling/child/`#id` targets, `reenter`, wildcard and partial
 * (`foo.*`) descriptors, `after` with numeric or named delays (also on
 * compound states and the root), `entry`/`exit`, custom actions (named,
 * inline, with params), `assign`, named/inline/param guards.
 * What does not (the machine then runs on xstate, and `whyNotCompiled` says
 * which feature and where): parallel, history and final states, `always`,
 * `invoke`, higher-order guards (and/or/not/stateIn), and built-in actions
 * other than `assign` (raise, sendTo, sendParent, spawnChild, stopChild,
 * enqueueActions, emit, log, cancel of your own ids); logic that is not a
 * state machine at all (fromTransition, fromCallback, ...).
 */

import type { AnyActorLogic, AnyStateMachine } from 'xstate';
import { shareAcrossForks } from './fork-graph.ts';
import { hashString } from './random.ts';
import { stateValueString } from './state-value.ts';

// xstate's StateNode and transition objects, typed as far as the compiler reads them
interface XNode {
  id: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  order: number;
  parent: XNode | undefined;
  states: Record<string, XNode>;
  entry: unknown[];
  exit: unknown[];
  always?: unknown[];
  invoke: unknown[];
  config: { onDone?: unknown };
  transitions: Map<string, XTransition[]>;
  initial: { target: XNode[]; actions: unknown[] };
}
interface XTransition {
  target: XNode[] | undefined;
  source: XNode;
  reenter: boolean;
  actions: unknown[];
  guard: unknown;
}
type AnyFn = (...args: any[]) => any;

/** Step kinds (numbers keep the step objects one shape for the optimiser). */
export const STEP_CUSTOM = 0;
export const STEP_ASSIGN = 1;
export const STEP_START_TIMER = 2;
export const STEP_CANCEL_TIMER = 3;

/** One action of a compiled step list. */
export interface Step {
  readonly k: number;
  /** custom action implementation, or the assignment of an assign */
  readonly fn: any;
  /** static params, or a function of { context, event } when `paramsFn` */
  readonly params: unknown;
  readonly paramsFn: boolean;
  /** action name for inspection events */
  readonly name: string;
  /** timer slot (after-timers), else -1 */
  readonly slot: number;
  /** the after-event a timer delivers (xstate's own object: `xstate.after.<delay>.<stateNodeId>`) */
  readonly event: { type: string } | undefined;
  /** the after-delay: a number of ms, or the name of a `delays` implementation */
  readonly delay: number | string | undefined;
}

/** A guard resolved to its implementation once. */
export interface Guard {
  readonly fn: AnyFn | undefined;
  readonly params: unknown;
  readonly paramsFn: boolean;
  /** as xstate names it in "Unable to evaluate guard 'x' …" (undefined for inline guards) */
  readonly label: string | undefined;
  /** set when the named guard has no implementation: evaluating it throws, as in xstate */
  readonly missing: string | undefined;
}

/** A candidate transition from one leaf, with everything it does precomputed. */
export interface Plan {
  readonly guard: Guard | undefined;
  /** id of the state node that declares it (for guard error messages) */
  readonly sourceId: string;
  readonly steps: readonly Step[];
  /** the leaf after it, or undefined for a targetless transition (no exit, no entry) */
  readonly target: Leaf | undefined;
}

/** A leaf (atomic) state: the whole configuration of a machine without parallel states. */
export interface Leaf {
  readonly node: XNode;
  /** the state value as xstate reports it ('a', { a: 'b' }, {} for a machine without states) */
  readonly value: unknown;
  /** the same as one string (what the trace folds) */
  readonly text: string;
  /** hashString(text), so a state change folds without a lookup */
  readonly textHash: number;
  /** candidates by event type, filled on first use of each type */
  readonly plans: Map<string, readonly Plan[]>;
}

export interface CompiledMachine {
  readonly machine: AnyStateMachine;
  readonly initial: Leaf;
  /** steps of the initial microstep (root entry first) */
  readonly initialSteps: readonly Step[];
  /** number of distinct after-timers (each actor has at most one pending per slot) */
  readonly timerSlots: number;
  /** the after-event each timer slot delivers */
  readonly timerEvents: readonly { type: string }[];
  readonly delays: Record<string, unknown>;
  /** the candidates for `eventType` from `leaf` (computed once, then a map lookup) */
  plansFor(leaf: Leaf, eventType: string): readonly Plan[];
}

class Unsupported extends Error {}

const NO_PLANS: readonly Plan[] = [];
/** event types cached per leaf, at most: a machine meets a few dozen; past this (dynamic types into a `*` handler) plans are computed per event */
const MAX_CACHED_EVENT_TYPES = 1024;

const compiled = new WeakMap<object, CompiledMachine | string>();

/**
 * Why this logic runs on xstate's interpreter instead of compiled: the feature
 * and the state that uses it, or undefined when it compiles.
 *
 * ```ts
 * whyNotCompiled(myMachine) // → "parallel state at #traffic.lights" or undefined
 * ```
 */
export function whyNotCompiled(logic: AnyActorLogic): string | undefined {
  const c = compileMachine(logic);
  return typeof c === 'string' ? c : undefined;
}

/** @internal the compiled form of `logic`, or the reason it has none (memoised per machine object). */
export function compileMachine(logic: AnyActorLogic): CompiledMachine | string {
  const known = compiled.get(logic);
  if (known !== undefined) return known;
  let result: CompiledMachine | string;
  try {
    result = compile(logic);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    result = err.message;
  }
  if (typeof result !== 'string') shareAcrossForks(result);
  compiled.set(logic, result);
  return result;
}

function isMachine(logic: AnyActorLogic): logic is AnyStateMachine {
  const m = logic as Partial<AnyStateMachine>;
  return typeof m === 'object' && m !== null && typeof m.root === 'object' && typeof m.implementations === 'object';
}

function compile(logic: AnyActorLogic): CompiledMachine {
  if (!isMachine(logic)) {
    throw new Unsupported('not a state machine (fromTransition, fromCallback, fromPromise, … logic runs on xstate)');
  }
  const machine = logic;
  const root = machine.root as unknown as XNode;
  const impl = machine.implementations as {
    actions: Record<string, unknown>;
    guards: Record<string, unknown>;
    delays: Record<string, unknown>;
  };
  const slots = new Map<string, number>();
  const slotEvents: { type: string }[] = [];
  const stepCache = new Map<unknown[], Step[]>();

  const where = (node: XNode) => `#${node.id}`;

  const compileAction = (action: unknown, node: XNode): Step | undefined => {
    let resolved: unknown;
    let params: unknown;
    let paramsFn = false;
    let name: string;
    if (typeof action === 'function') {
      resolved = action;
      name = (action as { type?: string }).type ?? (action.name || '(anonymous)');
    } else if (typeof action === 'string') {
      resolved = impl.actions[action];
      name = action;
    } else if (action !== null && typeof action === 'object' && typeof (action as { type?: unknown }).type === 'string') {
      const a = action as { type: string; params?: unknown };
      resolved = impl.actions[a.type];
      name = a.type;
      if ('params' in a) {
        params = a.params;
        paramsFn = typeof a.params === 'function';
      }
    } else {
      throw new Unsupported(`an action that is neither a name, a function nor { type } at ${where(node)}`);
    }
    if (resolved === undefined) return undefined; // xstate runs a missing named action as nothing
    if (typeof resolved !== 'function') throw new Unsupported(`action '${name}' is not a function at ${where(node)}`);
    if (!('resolve' in resolved)) {
      return { k: STEP_CUSTOM, fn: resolved, params, paramsFn, name, slot: -1, event: undefined, delay: undefined };
    }
    const builtin = resolved as unknown as {
      type: string;
      assignment?: unknown;
      event?: { type?: unknown };
      id?: unknown;
      delay?: unknown;
      sendId?: unknown;
    };
    switch (builtin.type) {
      case 'xstate.assign':
        return {
          k: STEP_ASSIGN,
          fn: builtin.assignment,
          params,
          paramsFn,
          name: builtin.type,
          slot: -1,
          event: undefined,
          delay: undefined,
        };
      case 'xstate.raise': {
        // the raise xstate adds to a state's entry for each of its `after` delays
        const ev = builtin.event;
        const type = typeof ev === 'object' && ev !== null ? ev.type : undefined;
        if (typeof type === 'string' && type.startsWith('xstate.after.') && builtin.id === type && builtin.delay !== undefined) {
          if (typeof builtin.delay !== 'number' && typeof builtin.delay !== 'string') {
            throw new Unsupported(`an after-delay that is neither a number nor a name at ${where(node)}`);
          }
          return {
            k: STEP_START_TIMER,
            fn: undefined,
            params: undefined,
            paramsFn: false,
            name: builtin.type,
            slot: slotOf(type, ev as { type: string }),
            event: ev as { type: string },
            delay: builtin.delay,
          };
        }
        throw new Unsupported(`raise at ${where(node)}`);
      }
      case 'xstate.cancel': {
        const id = builtin.sendId;
        if (typeof id === 'string' && id.startsWith('xstate.after.')) {
          return {
            k: STEP_CANCEL_TIMER,
            fn: undefined,
            params: undefined,
            paramsFn: false,
            name,
            slot: slotOf(id),
            event: undefined,
            delay: undefined,
          };
        }
        throw new Unsupported(`cancel at ${where(node)}`);
      }
      default:
        throw new Unsupported(`${builtin.type.replace(/^xstate\./, '')} at ${where(node)}`);
    }
  };

  const slotOf = (afterType: string, event?: { type: string }): number => {
    let s = slots.get(afterType);
    if (s === undefined) slots.set(afterType, (s = slots.size));
    if (event !== undefined) slotEvents[s] = event;
    return s;
  };

  const compileActions = (actions: unknown[], node: XNode): Step[] => {
    let steps = stepCache.get(actions);
    if (steps === undefined) {
      steps = [];
      for (const a of actions) {
        const step = compileAction(a, node);
        if (step !== undefined) steps.push(step);
      }
      stepCache.set(actions, steps);
    }
    return steps;
  };

  const guards = new Map<unknown, Guard>();
  const compileGuard = (guard: unknown, node: XNode): Guard | undefined => {
    if (guard === undefined) return undefined;
    let g = guards.get(guard);
    if (g === undefined) {
      g = resolveGuard(guard, node);
      guards.set(guard, g);
    }
    return g;
  };
  const resolveGuard = (guard: unknown, node: XNode): Guard => {
    const isInline = typeof guard === 'function';
    const gname = typeof guard === 'string' ? guard : (guard as { type?: string })?.type;
    const resolved = isInline ? guard : impl.guards[gname as string];
    const label = isInline ? undefined : gname;
    if (!isInline && !resolved) return { fn: undefined, params: undefined, paramsFn: false, label, missing: String(gname) };
    if (typeof resolved !== 'function') return { ...resolveGuard(resolved, node), label };
    if ('check' in resolved) throw new Unsupported(`a higher-order guard (and, or, not, stateIn) at ${where(node)}`);
    let params: unknown;
    let paramsFn = false;
    if (!isInline && typeof guard !== 'string' && guard !== null && typeof guard === 'object' && 'params' in guard) {
      params = (guard as { params: unknown }).params;
      paramsFn = typeof params === 'function';
    }
    return { fn: resolved as AnyFn, params, paramsFn, label, missing: undefined };
  };

  // Walk every state once: refuse what the runtime does not do, compile every action list.
  const leaves = new Map<XNode, Leaf>();
  const walk = (node: XNode) => {
    if (node.type === 'parallel') throw new Unsupported(`parallel state at ${where(node)}`);
    if (node.type === 'history') throw new Unsupported(`history state at ${where(node)}`);
    if (node.type === 'final') throw new Unsupported(`final state at ${where(node)}`);
    if (node.always !== undefined && node.always.length > 0) throw new Unsupported(`always (eventless transition) at ${where(node)}`);
    if (node.invoke.length > 0) throw new Unsupported(`invoke at ${where(node)}`);
    if (node.config.onDone !== undefined) throw new Unsupported(`onDone at ${where(node)}`);
    compileActions(node.entry, node);
    compileActions(node.exit, node);
    if (node.type === 'compound') compileActions(node.initial.actions, node);
    for (const list of node.transitions.values()) {
      for (const t of list) {
        if (t.target !== undefined && t.target.length > 1) throw new Unsupported(`a transition with several targets at ${where(node)}`);
        compileActions(t.actions, node);
        compileGuard(t.guard, node);
      }
    }
    for (const child of Object.values(node.states)) walk(child);
    if (node.type === 'atomic') leaves.set(node, makeLeaf(node));
  };
  walk(root);

  const leafOf = (nodes: Set<XNode>): Leaf => {
    let leaf: Leaf | undefined;
    for (const n of nodes) {
      if (n.type !== 'atomic') continue;
      if (leaf !== undefined) throw new Unsupported('a configuration with two atomic states');
      leaf = leaves.get(n);
    }
    if (leaf === undefined) throw new Unsupported('a configuration without an atomic state');
    return leaf;
  };

  /** The steps and resulting leaf of taking `t` from `leaf` (xstate's microstep, evaluated once). */
  const planOf = (leaf: Leaf, t: XTransition, isInitial: boolean): { steps: Step[]; target: Leaf | undefined } => {
    const source = t.source;
    const transitionSteps = compileActions(t.actions, source);
    if (t.target === undefined || t.target.length === 0) return { steps: transitionSteps, target: undefined };
    const configuration = new Set<XNode>(isInitial ? [] : [...ancestorsAndSelf(leaf.node)]);
    const steps: Step[] = [];
    if (!isInitial) {
      const exits = computeExitSet(t, configuration).sort((a, b) => b.order - a.order);
      for (const s of exits) {
        steps.push(...compileActions(s.exit, s));
        configuration.delete(s);
      }
    }
    steps.push(...transitionSteps);
    const toEnter = new Set<XNode>();
    const forDefaultEntry = new Set<XNode>();
    computeEntrySet(t, forDefaultEntry, toEnter);
    if (isInitial) forDefaultEntry.add(root);
    for (const s of [...toEnter].sort((a, b) => a.order - b.order)) {
      configuration.add(s);
      steps.push(...compileActions(s.entry, s));
      if (forDefaultEntry.has(s) && s.type === 'compound') steps.push(...compileActions(s.initial.actions, s));
    }
    return { steps, target: leafOf(configuration) };
  };

  const rootLeafPlaceholder = { node: root } as Leaf;
  const initialTargets = [...getInitialStateNodes(root)];
  const init = planOf(rootLeafPlaceholder, { target: initialTargets, source: root, reenter: true, actions: [], guard: undefined }, true);

  const cm: CompiledMachine = {
    machine,
    initial: init.target!,
    initialSteps: init.steps,
    timerSlots: slots.size,
    timerEvents: slotEvents,
    delays: impl.delays ?? {},
    plansFor(leaf, eventType) {
      let plans = leaf.plans.get(eventType);
      if (plans !== undefined) return plans;
      const list: Plan[] = [];
      for (let n: XNode | undefined = leaf.node; n !== undefined; n = n.parent) {
        for (const t of getCandidates(n, eventType)) {
          const { steps, target } = planOf(leaf, t, false);
          list.push({ guard: compileGuard(t.guard, n), sourceId: n.id, steps, target });
        }
      }
      plans = list.length === 0 ? NO_PLANS : list;
      // event types nothing handles (a `*` handler fed dynamic types) must not grow the cache without end
      if (leaf.plans.size < MAX_CACHED_EVENT_TYPES) leaf.plans.set(eventType, plans);
      return plans;
    },
  };
  return cm;
}

function makeLeaf(node: XNode): Leaf {
  const path: string[] = [];
  for (let n: XNode | undefined = node; n?.parent !== undefined; n = n.parent) path.unshift(n.key);
  // xstate's value: {} without states, 'a' for a top-level leaf, { a: { b: 'c' } } below
  let value: unknown = path.length === 0 ? {} : path[path.length - 1];
  for (let i = path.length - 2; i >= 0; i--) value = { [path[i]!]: value };
  const text = stateValueString(value);
  // shared by forks: a leaf's plan cache depends on the machine alone, as it is shared by every simulation already
  return shareAcrossForks({ node, value, text, textHash: hashString(text), plans: new Map() });
}

function* ancestorsAndSelf(node: XNode): Generator<XNode> {
  for (let n: XNode | undefined = node; n !== undefined; n = n.parent) yield n;
}

// ---- xstate's own algorithm (v5 stateUtils), for configurations without parallel or history states ----

function getCandidates(node: XNode, eventType: string): XTransition[] {
  const exact = node.transitions.get(eventType);
  const wildcard = [...node.transitions.keys()]
    .filter((d) => d !== eventType && matchesEventDescriptor(eventType, d))
    .sort((a, b) => b.length - a.length)
    .flatMap((key) => node.transitions.get(key)!);
  return exact ? [...exact, ...wildcard] : wildcard;
}

function matchesEventDescriptor(eventType: string, descriptor: string): boolean {
  if (descriptor === eventType || descriptor === '*') return true;
  if (!descriptor.endsWith('.*')) return false;
  const partial = descriptor.split('.');
  const tokens = eventType.split('.');
  for (let i = 0; i < partial.length; i++) {
    if (partial[i] === '*') return i === partial.length - 1;
    if (partial[i] !== tokens[i]) return false;
  }
  return true;
}

function getProperAncestors(node: XNode, to: XNode | undefined): XNode[] {
  const out: XNode[] = [];
  if (to === node) return out;
  for (let m = node.parent; m && m !== to; m = m.parent) out.push(m);
  return out;
}

function isDescendant(child: XNode, parent: XNode | undefined): boolean {
  let marker = child;
  while (marker.parent && marker.parent !== parent) marker = marker.parent;
  return marker.parent === parent;
}

function findLeastCommonAncestor(nodes: XNode[]): XNode | undefined {
  const [head, ...tail] = nodes;
  for (const ancestor of getProperAncestors(head!, undefined)) {
    if (tail.every((n) => isDescendant(n, ancestor))) return ancestor;
  }
  return undefined;
}

function getTransitionDomain(t: XTransition): XNode | undefined {
  const targets = t.target ?? [];
  if (!t.reenter && targets.every((n) => n === t.source || isDescendant(n, t.source))) return t.source;
  const lca = findLeastCommonAncestor(targets.concat(t.source));
  if (lca) return lca;
  if (t.reenter) return undefined;
  let root = t.source;
  while (root.parent) root = root.parent;
  return root;
}

function computeExitSet(t: XTransition, configuration: Set<XNode>): XNode[] {
  const out = new Set<XNode>();
  const domain = getTransitionDomain(t);
  if (t.reenter && t.source === domain) out.add(domain);
  for (const n of configuration) if (isDescendant(n, domain)) out.add(n);
  return [...out];
}

function computeEntrySet(t: XTransition, forDefaultEntry: Set<XNode>, toEnter: Set<XNode>): void {
  const domain = getTransitionDomain(t);
  for (const s of t.target ?? []) {
    if (t.source !== s || t.source !== domain || t.reenter) {
      toEnter.add(s);
      forDefaultEntry.add(s);
    }
    addDescendantStatesToEnter(s, forDefaultEntry, toEnter);
  }
  for (const s of t.target ?? []) {
    const reentrancyDomain = !t.source.parent && t.reenter ? undefined : domain;
    for (const anc of getProperAncestors(s, domain)) {
      if (!reentrancyDomain || isDescendant(anc, reentrancyDomain)) toEnter.add(anc);
    }
  }
}

function addDescendantStatesToEnter(node: XNode, forDefaultEntry: Set<XNode>, toEnter: Set<XNode>): void {
  if (node.type !== 'compound') return;
  const initial = node.initial.target[0]!;
  toEnter.add(initial);
  forDefaultEntry.add(initial);
  addDescendantStatesToEnter(initial, forDefaultEntry, toEnter);
  for (const anc of getProperAncestors(initial, node)) toEnter.add(anc);
}

function getInitialStateNodes(node: XNode): Set<XNode> {
  const set = new Set<XNode>();
  const iter = (n: XNode) => {
    if (set.has(n)) return;
    set.add(n);
    if (n.type === 'compound') iter(n.initial.target[0]!);
  };
  iter(node);
  return set;
}
