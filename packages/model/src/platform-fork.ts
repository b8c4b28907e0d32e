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

const key = (e: TimelineEvent): string => JSON.stringify(e);

/** The longest common subsequence of two timelines: pairs [index in a, index in b], in order. */
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

/** `params` without what a branch may change (its timeline, its name), for comparing the rest. */
function rest(params: PlatformParams): string {
  return JSON.stringify({ ...params, name: '', timeline: [] });
}

/**
 * A copy of `platform` that runs on as `params` would from scratch. `params` must be the platform's own parameters
 * but for the timeline (and the name): timeline events may be added at or after the platform's next instant (run the
 * platform with `sim.queue.runBefore(T)` to branch at T) and removed when they have not happened yet. The platform
 * itself is left as it was, to run on or to fork again.
 */
export function forkPlatform(platform: Platform, params: PlatformParams): Platform {
  const parentParams = platform.state.params;
  if (rest(params) !== rest(parentParams)) {
    const differs = Object.keys(params).find(
      (k) => k !== 'timeline' && k !== 'name' && JSON.stringify((params as never)[k]) !== JSON.stringify((parentParams as never)[k]),
    );
    throw new StampedeInputError(
      `forkPlatform: a branch may change only the timeline, but '${differs}' differs from the platform's; run that topology from scratch`,
    );
  }
  const sim = platform.sim;
  const parentKeys = platform.timeline.map((t) => key(t.event));
  const branchKeys = params.timeline.map(key);
  const pairs = matched(parentKeys, branchKeys);
  const keptParent = new Set(pairs.map(([i]) => i));
  const parentOf = new Map(pairs.map(([i, j]) => [j, i]));

  for (let i = 0; i < platform.timeline.length; i++) {
    if (keptParent.has(i)) continue;
    const t = platform.timeline[i]!;
    if (!sim.queue.isPending(t.handle)) {
      throw new StampedeInputError(
        `forkPlatform: the branch leaves out '${key(t.event)}', which already happened (at ${t.event.atMs} ms, the platform is at ${sim.now} ms)`,
      );
    }
  }
  for (let j = 0; j < params.timeline.length; j++) {
    if (parentOf.has(j)) continue;
    const e = params.timeline[j]!;
    if (!(e.atMs > sim.now || sim.queue.fired === 0)) {
      throw new StampedeInputError(
        `forkPlatform: the branch adds '${key(e)}' at ${e.atMs} ms, but the platform has run to ${sim.now} ms; run it with sim.queue.runBefore(${e.atMs}) to branch there`,
      );
    }
  }

  const { carry } = forkSimulation(sim, platform);
  const fork = carry as PlatformImpl;
  const queue = fork.sim.queue;
  for (let i = 0; i < platform.timeline.length; i++) if (!keptParent.has(i)) queue.cancel(fork.timeline[i]!.handle);
  // each added event's place: after the kept timeline event before it in the list (or where the timeline starts),
  // in (that place, that place + 1); a run from scratch gives the next kept event the next sequence number or a later one
  const timeline: Platform['timeline'][number][] = [];
  let lo = fork.timelineStartSeq - 1;
  for (let j = 0; j < params.timeline.length; ) {
    const i = parentOf.get(j);
    if (i !== undefined) {
      timeline.push(fork.timeline[i]!);
      lo = fork.timeline[i]!.seq;
      j++;
      continue;
    }
    let end = j;
    while (end < params.timeline.length && !parentOf.has(end)) end++;
    const count = end - j;
    for (let k = 0; k < count; k++) {
      const event = params.timeline[j + k]!;
      const seq = lo + (k + 1) / (count + 1);
      timeline.push({ event, seq, handle: queue.scheduleAtPlace(event.atMs, seq, fireTimelineEvent, { state: fork.state, sim: fork.sim, event }) });
    }
    j = end;
  }
  (fork.state as { params: PlatformParams }).params = params;
  return new PlatformImpl(fork.sim, fork.state, timeline, fork.timelineStartSeq);
}
