/**
 * A Chrome trace-event recorder for a simulation, to open in Perfetto
 * (ui.perfetto.dev) or chrome://tracing; `stampede run --trace` writes one.
 *
 * Actors are tracks (a thread per actor, a process per group such as
 * "delegates" or "routers"); the states an actor spends time in are slices
 * ('X' events named by the state value); messages are flows ('s' at the send,
 * on the sender's track, 'f' with `bp: 'e'` at the delivery, on the
 * recipient's); dropped messages and crashes are instant events. Timestamps
 * are virtual time in microseconds: no wall-clock value is written, so the
 * same seed gives the same bytes.
 *
 * It only subscribes to `sim.trace.records$`, so it does not change the run
 * (the trace hash is the same with and without it). Events are handed to the
 * sink as they are known, never kept: memory is one open slice per kept actor,
 * and writing them out (a file, a stream) is the sink's business.
 * A slice is known when it ends, and a flow when its message arrives, so the
 * events are not in timestamp order; the format allows that.
 */
import { stateValueString } from './actor-host.ts';
import type { Simulation } from './simulation.ts';
import type { TraceRecord } from './trace.ts';

/** One trace event, as the Trace Event Format defines it. */
export interface ChromeTraceEvent {
  name: string;
  ph: 'X' | 's' | 'f' | 'i' | 'M';
  /** microseconds of virtual time (absent on metadata events) */
  ts?: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  id?: number;
  bp?: 'e';
  s?: 'g' | 'p' | 't';
  args?: Record<string, unknown>;
}

export interface ChromeTraceOptions {
  /** First virtual ms kept: earlier events are only followed, not written. @defaultValue 0 */
  fromMs?: number;
  /** Last virtual ms kept; recording stops there. @defaultValue the end of the run */
  toMs?: number;
  /** Which actors get a track. Flows need both ends kept. @defaultValue every actor */
  keepActor?: (id: string) => boolean;
  /** The process (group of tracks) an actor belongs to. @defaultValue the id up to its first dash */
  groupOf?: (id: string) => string;
  /**
   * Stop recording once this many events are written (open slices are then
   * closed, which may add one event per kept actor). @defaultValue 2_000_000 (~200 MB)
   */
  maxEvents?: number;
}

export interface ChromeTraceStats {
  /** events handed to the sink */
  events: number;
  /** tracks written (actors with at least one event in the window) */
  tracks: number;
  /** where recording stopped early because of `maxEvents`, in virtual ms */
  truncatedAtMs: number | undefined;
}

export interface ChromeTraceRecorder {
  /** Closes the open slices at `endMs` (clipped to the window), adds `marks` as global instants, and stops. */
  finish(endMs: number, marks?: readonly (readonly [number, string])[]): ChromeTraceStats;
}

// ~100 bytes an event: the whole 75-minute, 2000-delegate incident (1.1 million events, 107 MB) fits;
// Perfetto opens that size in seconds, chrome://tracing struggles beyond a few hundred MB
export const DEFAULT_MAX_TRACE_EVENTS = 2_000_000;

interface Track {
  readonly id: string;
  readonly group: string;
  readonly pid: number;
  readonly tid: number;
  /** not a hosted actor (e.g. the scenario timeline): its sends get a zero-length slice to anchor their flow */
  readonly external: boolean;
  named: boolean;
  state: string | undefined;
  sinceMs: number;
}

const usOf = (ms: number) => Math.round(ms * 1000);
const firstSegment = (id: string) => id.replace(/-.*$/, '');
/** A machine without states (its value is `{}`, printed `()`) is simply running. */
const sliceName = (stateValue: string) => (stateValue === '()' ? 'running' : stateValue);

/**
 * Starts recording `sim` into `sink`. Attach it before the first event fires
 * (`runPlatform`'s `onBuild`): the actors already spawned are picked up in
 * their current state.
 */
export function recordChromeTrace(
  sim: Simulation,
  sink: (event: ChromeTraceEvent) => void,
  options: ChromeTraceOptions = {},
): ChromeTraceRecorder {
  const fromMs = options.fromMs ?? 0;
  const toMs = options.toMs ?? Number.POSITIVE_INFINITY;
  const keepActor = options.keepActor ?? (() => true);
  const groupOf = options.groupOf ?? firstSegment;
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_TRACE_EVENTS;

  const tracks = new Map<string, Track | null>();
  const pids = new Map<string, number>();
  const shownPids = new Set<number>();
  let nextTid = 1;
  let nextFlowId = 1;
  let events = 0;
  let named = 0;
  let stopped = false;
  let truncatedAtMs: number | undefined;

  const emit = (event: ChromeTraceEvent) => {
    events++;
    sink(event);
  };

  const trackOf = (id: string, external: boolean): Track | undefined => {
    let track = tracks.get(id);
    if (track === undefined) {
      track = null;
      if (keepActor(id)) {
        const group = groupOf(id);
        let pid = pids.get(group);
        if (pid === undefined) {
          pid = pids.size + 1;
          pids.set(group, pid);
        }
        track = { id, group, pid, tid: nextTid++, external, named: false, state: undefined, sinceMs: 0 };
      }
      tracks.set(id, track);
    }
    return track ?? undefined;
  };

  /** The track, announced (process_name, thread_name) the first time it gets an event. */
  const shown = (track: Track): Track => {
    if (!track.named) {
      track.named = true;
      named++;
      if (!shownPids.has(track.pid)) {
        shownPids.add(track.pid);
        emit({ name: 'process_name', ph: 'M', pid: track.pid, tid: 0, args: { name: track.group } });
        emit({ name: 'process_sort_index', ph: 'M', pid: track.pid, tid: 0, args: { sort_index: track.pid } });
      }
      emit({ name: 'thread_name', ph: 'M', pid: track.pid, tid: track.tid, args: { name: track.id } });
      emit({ name: 'thread_sort_index', ph: 'M', pid: track.pid, tid: track.tid, args: { sort_index: track.tid } });
    }
    return track;
  };

  /** Ends the track's current state at `atMs`, writing the part inside the window. */
  const closeSlice = (track: Track, atMs: number) => {
    const state = track.state;
    if (state === undefined) return;
    track.state = undefined;
    const start = Math.max(track.sinceMs, fromMs);
    const end = Math.min(atMs, toMs);
    // a zero-length state counts only when it lies inside the window, not when it is a clipped edge
    if (end > start || (end === start && track.sinceMs >= fromMs && atMs <= toMs)) {
      const t = shown(track);
      const ts = usOf(start);
      emit({ name: state, ph: 'X', ts, dur: usOf(end) - ts, pid: t.pid, tid: t.tid, cat: 'state' });
    }
  };

  const instant = (track: Track, atMs: number, name: string, args: Record<string, unknown>) => {
    const t = shown(track);
    emit({ name, ph: 'i', s: 't', ts: usOf(atMs), pid: t.pid, tid: t.tid, cat: 'event', args });
  };

  const stop = (atMs: number) => {
    if (stopped) return;
    stopped = true;
    subscription.unsubscribe();
    for (const track of tracks.values()) if (track !== null) closeSlice(track, atMs);
  };

  const onRecord = (r: TraceRecord) => {
    const now = r.timeMs;
    if (now > toMs) return stop(toMs);
    if (events >= maxEvents) {
      truncatedAtMs = now;
      return stop(now);
    }
    const inWindow = now >= fromMs;
    switch (r.kind) {
      case 'state': {
        const track = trackOf(r.actor, false);
        if (track === undefined) return;
        closeSlice(track, now);
        track.state = sliceName(r.value);
        track.sinceMs = now;
        return;
      }
      case 'lifecycle': {
        const track = trackOf(r.actor, false);
        if (track === undefined) return;
        if (r.change === 'stop' || r.change === 'crash') closeSlice(track, now);
        if (inWindow && (r.change === 'crash' || r.change === 'restart')) instant(track, now, r.change, {});
        return;
      }
      case 'deliver': {
        // a message to itself is how an actor keeps a timer (a controller's TICK): not a flow between actors
        if (!inWindow || r.sentAtMs < fromMs || r.from === r.to) return;
        const from = trackOf(r.from, !sim.actors.has(r.from) && !tracks.has(r.from));
        const to = from && trackOf(r.to, false);
        if (from === undefined || to === undefined) return;
        const id = nextFlowId++;
        const src = shown(from);
        const dst = shown(to);
        if (from.external) emit({ name: r.type, ph: 'X', ts: usOf(r.sentAtMs), dur: 0, pid: src.pid, tid: src.tid, cat: 'send' });
        emit({ name: r.type, ph: 's', id, ts: usOf(r.sentAtMs), pid: src.pid, tid: src.tid, cat: 'message' });
        emit({ name: r.type, ph: 'f', bp: 'e', id, ts: usOf(now), pid: dst.pid, tid: dst.tid, cat: 'message' });
        return;
      }
      case 'drop': {
        if (!inWindow) return;
        const track = trackOf(r.from, !sim.actors.has(r.from) && !tracks.has(r.from)) ?? trackOf(r.to, false);
        if (track !== undefined) instant(track, now, `drop ${r.type}`, { from: r.from, to: r.to, reason: r.reason });
        return;
      }
    }
  };

  // Actors spawned before the recorder was attached (buildPlatform spawns the whole fleet): their current state.
  for (const id of sim.actors.ids()) {
    const track = trackOf(id, false);
    if (track === undefined) continue;
    track.state = sliceName(stateValueString((sim.actors.get(id).getSnapshot() as { value?: unknown }).value));
    track.sinceMs = sim.now;
  }
  const subscription = sim.trace.records$.subscribe(onRecord);

  return {
    finish(endMs, marks = []) {
      stop(Math.min(endMs, toMs));
      // the timeline's own log (rollouts, rollbacks): markers across every track
      const lastMs = truncatedAtMs ?? Math.min(endMs, toMs);
      for (const [atMs, text] of marks) {
        if (atMs >= fromMs && atMs <= lastMs) emit({ name: text, ph: 'i', s: 'g', ts: usOf(atMs), pid: 0, tid: 0, cat: 'timeline' });
      }
      return { events, tracks: named, truncatedAtMs };
    },
  };
}
