/**
 * Branching a platform run: run the shared past once, then fork it per branch
 * with a different timeline from that point on (a responder's action added,
 * a rollback the action makes moot left out).
 *
 * A branch forked at T runs exactly as the topology with its timeline would
 * from scratch: same trace hash. That holds because the fork changes only
 * what has not happened yet, and puts each added event where a run from
 * scratch would have scheduled it: timeline events are scheduled at build,
 * in the order the topology lists them, so among the events of its instant
 * an added event goes right after the timeline event it follows in the list
 * (a place between two sequence numbers; the queue orders by both).
 *
 * ```ts
 * const parent = buildPlatform(params, seed);
 * parent.sim.queue.runBefore(atMs);          // everything before the branch point, nothing at it
 * const branch = forkPlatform(parent, { ...params, timeline: [...params.timeline, action] });
 * const result = continueRun(branch, { seed });
 * ```
 */
import { forkSimulation, StampedeInputError } from '@stampede/kernel';
import type { PlatformParams, TimelineEvent } from './params.ts';
import { fireTimelineEvent, type Platform, PlatformImpl } from './platform.ts';

const key = (e: TimelineEvent): string => canonical(e);

/** The longest common subsequence of two lists: pairs [index in a, index in b], in order. */
function matched(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
  const out: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) out.push([i++, j++]);
    else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

/** JSON with every object's keys sorted: two parameter sets that differ only in key order compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** `params` without what a branch may change (its timeline, its name), for comparing the rest. */
function rest(params: PlatformParams): string {
  return canonical({ ...params, name: '', timeline: [] });
}

interface BranchPlan {
  /** for each event of the branch's timeline, the index of the platform's event it is, or undefined: added */
  parentOf: (number | undefined)[];
  /** the platform's timeline events the branch leaves out */
  left: number[];
  /** each branch event's place among the events of its instant: a kept event's own, an added one's between its neighbours */
  seqs: number[];
}

/**
 * Which of the platform's timeline events the branch keeps, leaves out and adds. Only the order of events at one
 * instant matters (events at different times are ordered by time), so the two timelines are matched instant by
 * instant: the longest common subsequence of that instant's events, in list order.
 */
function planBranch(platform: Platform, params: PlatformParams): BranchPlan | string {
  const parentParams = platform.state.params;
  if (rest(params) !== rest(parentParams)) {
    const differs = Object.keys(params).find(
      (k) => k !== 'timeline' && k !== 'name' && canonical((params as never)[k]) !== canonical((parentParams as never)[k]),
    );
    return `a branch may change only the timeline, but '${differs}' differs from the platform's; run that topology from scratch`;
  }
  const sim = platform.sim;
  if (sim.now > params.durationMs)
    return `the platform has run to ${sim.now} ms, past the end of the run (${params.durationMs} ms): nothing is left to branch`;
  const instants = new Map<number, { parent: number[]; branch: number[] }>();
  const at = (t: number) => {
    let g = instants.get(t);
    if (g === undefined) instants.set(t, (g = { parent: [], branch: [] }));
    return g;
  };
  platform.timeline.forEach((t, i) => {
    at(t.event.atMs).parent.push(i);
  });
  params.timeline.forEach((e, j) => {
    at(e.atMs).branch.push(j);
  });
  const parentOf: (number | undefined)[] = params.timeline.map(() => undefined);
  const seqs: number[] = params.timeline.map(() => 0);
  const left: number[] = [];
  for (const { parent, branch } of instants.values()) {
    const pairs = matched(
      parent.map((i) => key(platform.timeline[i]!.event)),
      branch.map((j) => key(params.timeline[j]!)),
    );
    for (const [a, b] of pairs) parentOf[branch[b]!] = parent[a]!;
    const kept = new Set(pairs.map(([a]) => parent[a]!));
    for (const i of parent) if (!kept.has(i)) left.push(i);
    // places: a run from scratch schedules the whole timeline at build, in list order, so among the events of one
    // instant an added event comes after the kept ones listed before it and before those listed after (or the
    // timeline's ends); a run of added events is spread evenly between its two neighbours
    for (let start = 0; start < branch.length; ) {
      const i = parentOf[branch[start]!];
      if (i !== undefined) {
        seqs[branch[start++]!] = platform.timeline[i]!.seq;
        continue;
      }
      let end = start;
      while (end < branch.length && parentOf[branch[end]!] === undefined) end++;
      const before = start > 0 ? parentOf[branch[start - 1]!] : undefined;
      const after = end < branch.length ? parentOf[branch[end]!] : undefined;
      const lo = before === undefined ? platform.timelineStartSeq - 1 : platform.timeline[before]!.seq;
      const hi = after === undefined ? platform.timelineEndSeq : platform.timeline[after]!.seq;
      for (let k = start; k < end; k++) seqs[branch[k]!] = lo + ((hi - lo) * (k - start + 1)) / (end - start + 1);
      start = end;
    }
  }
  for (const i of left) {
    const t = platform.timeline[i]!;
    if (!sim.queue.isPending(t.handle))
      return `the branch leaves out or moves '${key(t.event)}', which already happened (at ${t.event.atMs} ms, the platform is at ${sim.now} ms)`;
  }
  const early = params.timeline.find((e, j) => parentOf[j] === undefined && !(e.atMs > sim.now || sim.queue.fired === 0));
  if (early !== undefined)
    return `the branch adds '${key(early)}' at ${early.atMs} ms, but the platform has run to ${sim.now} ms; run it with sim.queue.runBefore(${early.atMs}) to branch there`;
  return { parentOf, left, seqs };
}

/**
 * Why `platform` cannot be branched into `params` now (see forkPlatform), or undefined when it can. The fork of the
 * simulation itself may still be refused (kernel: whyNotForkable).
 */
export function whyNotBranch(platform: Platform, params: PlatformParams): string | undefined {
  const plan = planBranch(platform, params);
  return typeof plan === 'string' ? plan : undefined;
}

/**
 * A copy of `platform` that runs on as `params` would from scratch. `params` must be the platform's own parameters
 * but for the timeline (and the name): timeline events may be added after the platform's clock (run the platform with
 * `sim.queue.runBefore(T)` to branch at T) and removed when they have not happened yet. The platform itself is left as
 * it was, to run on or to fork again. `params` is kept as given: do not change it afterwards.
 */
export function forkPlatform(platform: Platform, params: PlatformParams): Platform {
  const plan = planBranch(platform, params);
  if (typeof plan === 'string') throw new StampedeInputError(`forkPlatform: ${plan}`);
  const { carry } = forkSimulation(platform.sim, platform);
  const fork = carry as PlatformImpl;
  const queue = fork.sim.queue;
  for (const i of plan.left) queue.cancel(fork.timeline[i]!.handle);
  const timeline: Platform['timeline'][number][] = params.timeline.map((event, j) => {
    const i = plan.parentOf[j];
    if (i !== undefined) return fork.timeline[i]!;
    const seq = plan.seqs[j]!;
    return { event, seq, handle: queue.scheduleAtPlace(event.atMs, seq, fireTimelineEvent, { state: fork.state, sim: fork.sim, event }) };
  });
  (fork.state as { params: PlatformParams }).params = params;
  return new PlatformImpl(fork.sim, fork.state, timeline, fork.timelineStartSeq, fork.timelineEndSeq);
}
