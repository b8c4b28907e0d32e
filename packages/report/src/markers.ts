/**
 * The vertical markers of a run's charts: the timeline events as the
 * topology schedules them (rollout start, rollback, faults and their ends),
 * the completions the deployment controllers log (every new pod available),
 * automatic rollbacks by the validation gate, and the recovery point of the
 * run. Events at the same moment and of the same kind share one marker
 * ("router + manager rollout"), so labels do not pile up.
 */
import {
  MANAGER_CONTROLLER,
  type PlatformParams,
  type PoolParams,
  ROUTER_CONTROLLER,
  type RunSummary,
  routerPoolAfter,
} from '@stampede/model';
import type { Marker, MarkerKind } from './chart-spec.ts';
import { describeEvent, fmtDuration, fmtPct } from './text.ts';

const MIN = 60_000;

const CONTROLLERS: readonly [string, 'router' | 'manager'][] = [
  [ROUTER_CONTROLLER, 'router'],
  [MANAGER_CONTROLLER, 'manager'],
];

/** The markers of one run, in time order. */
export function runMarkers(params: PlatformParams, summary: RunSummary, recoveredFraction: number): Marker[] {
  const markers: (Marker & { atMs: number })[] = [];
  const add = (atMs: number, kind: MarkerKind, label: string, detail: string) => {
    if (atMs <= params.durationMs) markers.push({ atMs, atMin: atMs / MIN, kind, label, detail });
  };

  let pool: PoolParams = params.router.pool;
  for (const e of [...params.timeline].sort((a, b) => a.atMs - b.atMs)) {
    const detail = `${describeEvent(e, pool)}${e.label ? ` — ${e.label}` : ''}`;
    pool = routerPoolAfter(pool, e);
    switch (e.kind) {
      case 'rollout':
        add(e.atMs, 'trigger', `${e.target} rollout`, detail);
        break;
      case 'rollback':
        add(e.atMs, 'rollback', `${e.target} rollback`, detail);
        break;
      case 'kill-pod':
        add(e.atMs, 'fault', `${e.target} pods killed`, detail);
        break;
      case 'scale':
        add(e.atMs, 'response', `${e.target} scaled`, detail);
        break;
      case 'reconfigure':
        add(e.atMs, 'response', `${e.target} reconfigured`, detail);
        break;
      case 'restart':
        add(e.atMs, 'response', `${e.target} restart`, detail);
        break;
      case 'pause':
      case 'resume':
        add(e.atMs, 'response', `${e.target} ${e.kind === 'pause' ? 'paused' : 'resumed'}`, detail);
        break;
      case 'admit':
        add(e.atMs, 'response', 'admission limit', detail);
        if (e.durationMs !== undefined) add(e.atMs + e.durationMs, 'done', 'admission limit ends', `end of the ${describeEvent(e, pool)}`);
        break;
      default:
        add(e.atMs, 'fault', e.kind, detail);
        add(e.atMs + e.durationMs, 'done', `${e.kind} ends`, `end of the ${describeEvent(e, pool)}`);
    }
  }

  // The controllers' log: "deploy-router: rollout to revision 2 complete: 4 pods available";
  // a revision started by "rollback to the previous pod template (revision 3)" completes a rollback.
  for (const [controller, target] of CONTROLLERS) {
    const rollbackRevisions = new Set<string>();
    for (const [atMs, line] of summary.log) {
      if (!line.startsWith(`${controller}: `)) continue;
      const text = line.slice(controller.length + 2);
      const rollback = /^rollback to the previous pod template \(revision (\d+)\)/.exec(text);
      if (rollback) rollbackRevisions.add(rollback[1]!);
      const complete = /^rollout to revision (\d+) complete/.exec(text);
      if (complete) {
        const what = rollbackRevisions.has(complete[1]!) ? 'rollback' : 'rollout';
        add(atMs, 'done', `${target} ${what} done`, `${target} ${text}`);
      }
      if (/^validation gate: .*automatic rollback/.test(text)) add(atMs, 'rollback', `${target} gate rollback`, `${target} ${text}`);
    }
  }

  if (summary.stormStartMs !== undefined) {
    const threshold = fmtPct(recoveredFraction);
    if (summary.firstRecoveredAtMs !== undefined && summary.firstRecoveredAtMs !== summary.recoveredAtMs) {
      add(summary.firstRecoveredAtMs, 'recovered', 'first recovered', `connected back at or above ${threshold} (it fell again later)`);
    }
    if (summary.recoveredAtMs !== undefined) {
      add(
        summary.recoveredAtMs,
        'recovered',
        'recovered',
        `connected back at or above ${threshold} for good, ${fmtDuration((summary.recoveredAtMs - (summary.triggerAtMs ?? 0)) / 1000)} after the trigger`,
      );
    }
  }

  return mergeSameMoment(markers.sort((a, b) => a.atMs - b.atMs)).map(({ atMin, kind, label, detail }) => ({ atMin, kind, label, detail }));
}

/** One marker per (time, kind): "router rollout" and "manager rollout" at 10:00 become "router + manager rollout". */
function mergeSameMoment<M extends Marker & { atMs: number }>(sorted: M[]): M[] {
  const out: M[] = [];
  for (const m of sorted) {
    const prev = out.at(-1);
    if (prev !== undefined && prev.atMs === m.atMs && prev.kind === m.kind) {
      prev.label = joinLabels(prev.label, m.label);
      prev.detail = `${prev.detail}; ${m.detail}`;
    } else out.push({ ...m });
  }
  return out;
}

/** "router rollout" + "manager rollout" → "router + manager rollout"; otherwise "a + b". */
export function joinLabels(a: string, b: string): string {
  const rest = (s: string) => s.slice(s.indexOf(' '));
  if (a.includes(' ') && b.includes(' ') && rest(a) === rest(b)) return `${a.slice(0, a.indexOf(' '))} + ${b}`;
  return `${a} + ${b}`;
}
