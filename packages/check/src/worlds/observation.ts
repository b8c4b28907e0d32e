/**
 * Checks an observation against one run: does what was seen in the incident
 * also happen here? Connected-fraction checks read the run as written (manual
 * rollbacks included: the incident was observed with its rollback); verdict
 * checks read the oracle's verdict, which leaves manual rollbacks out.
 *
 * The result says why in one line, with the moment that decided it, so a
 * world that calibration drops can be told from one that barely passed.
 */
import type { PlatformParams } from '@stampede/model';
import type { VerdictKind } from '../oracle.ts';
import type { ConnectedCriterion, Observation, TimeRef, VerdictCriterion } from './worlds-file.ts';

export interface ObservationResult {
  held: boolean;
  /** `connected at most 21.4% from 12:35 to 52:00` / `connected 62.3% at 23:05, not below 50%` */
  detail: string;
}

/** What a connected-fraction check reads of a run as written. */
export interface RunFacts {
  connected: { timesMs: ArrayLike<number>; values: ArrayLike<number> };
  triggerAtMs: number | undefined;
  stormStartMs: number | undefined;
  /** the first rollback of the timeline */
  rollbackAtMs: number | undefined;
  durationMs: number;
}

/** The facts of `params` run as written, given its connected series and storm start. */
export function runFacts(params: PlatformParams, connected: RunFacts['connected'], stormStartMs: number | undefined): RunFacts {
  const times = params.timeline.map((e) => e.atMs);
  const rollbacks = params.timeline.filter((e) => e.kind === 'rollback').map((e) => e.atMs);
  return {
    connected,
    triggerAtMs: times.length > 0 ? Math.min(...times) : undefined,
    stormStartMs,
    rollbackAtMs: rollbacks.length > 0 ? Math.min(...rollbacks) : undefined,
    durationMs: params.durationMs,
  };
}

/** `52:00`: minutes and seconds of virtual time. */
export function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function resolveTime(ref: TimeRef, facts: RunFacts): number | string {
  const base = {
    start: 0,
    trigger: facts.triggerAtMs,
    storm: facts.stormStartMs,
    rollback: facts.rollbackAtMs,
    end: facts.durationMs,
  }[ref.anchor];
  if (base === undefined) {
    return {
      trigger: 'the run has no timeline event (no trigger)',
      storm: 'no storm in this run (connected never fell below 90% after the trigger)',
      rollback: 'the run has no rollback',
    }[ref.anchor as 'trigger' | 'storm' | 'rollback'];
  }
  return base + ref.offsetMs;
}

/** Checks a connected-fraction criterion on a run as written. */
export function checkConnected(c: ConnectedCriterion, facts: RunFacts): ObservationResult {
  const from = resolveTime(c.from, facts);
  if (typeof from === 'string') return { held: false, detail: `${c.from.text}: ${from}` };
  const until = resolveTime(c.until, facts);
  if (typeof until === 'string') return { held: false, detail: `${c.until.text}: ${until}` };
  const { timesMs, values } = facts.connected;
  let seen = 0;
  let extreme = c.op === 'below' ? 0 : 1;
  for (let i = 0; i < values.length; i++) {
    const t = timesMs[i]!;
    if (t < from || t > until) continue;
    const v = values[i]!;
    seen++;
    const fails = c.op === 'below' ? v >= c.threshold : v < c.threshold;
    if (fails)
      return { held: false, detail: `connected ${pct(v)} at ${clock(t)}, ${c.op === 'below' ? 'not below' : 'below'} ${pct(c.threshold)}` };
    extreme = c.op === 'below' ? Math.max(extreme, v) : Math.min(extreme, v);
  }
  if (seen === 0) return { held: false, detail: `no sample from ${clock(from)} (${c.from.text}) to ${clock(until)} (${c.until.text})` };
  return {
    held: true,
    detail: `connected ${c.op === 'below' ? 'at most' : 'at least'} ${pct(extreme)} from ${clock(from)} to ${clock(until)}`,
  };
}

/** Checks a verdict criterion against the oracle's verdict on the run. */
export function checkVerdict(c: VerdictCriterion, verdict: VerdictKind, dominantLoop: string): ObservationResult {
  const words = verdict === 'recovered' ? verdict : `${verdict} (${dominantLoop})`;
  return c.allowed.includes(verdict)
    ? { held: true, detail: `oracle: ${words}` }
    : { held: false, detail: `oracle: ${words}, not ${c.allowed.join(' or ')}` };
}

/** The connected-fraction observations of `run`, in the file's order. */
export function connectedObservations(
  observations: readonly Observation[],
  run: string,
): { index: number; criterion: ConnectedCriterion }[] {
  return observations.flatMap((o, index) => (o.run === run && o.criterion.kind === 'connected' ? [{ index, criterion: o.criterion }] : []));
}
