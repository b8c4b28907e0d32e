/**
 * A sweep result as files: sweep.json (everything, pretty-printed) and
 * sweep.csv (one row per cell: its values on each axis, the verdict, whether
 * it is unsafe, whether there was a storm, the time to recover from the storm's start and from the trigger, the dominant loop, the trace hash and
 * the oracle's evidence, then the severity: lowest connected fraction, peak
 * pending acquires, routers the autoscaler added). Duration axes are in
 * milliseconds (`_ms` columns).
 */
import { isUnsafe } from './sweep-cell.ts';
import type { SweepResult } from './sweep-result.ts';

export const SWEEP_FILES = { json: 'sweep.json', csv: 'sweep.csv' } as const;

export function sweepToJson(result: SweepResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function sweepToCsv(result: SweepResult): string {
  const header = [
    'index',
    ...result.axes.map((a) => (a.kind === 'duration' ? `${a.path}_ms` : a.path)),
    'verdict',
    'unsafe',
    'storm',
    'time_to_recover_from_storm_s',
    'time_to_recover_s',
    'dominant_loop',
    'trace_hash',
    'evidence',
    'min_connected_fraction',
    'peak_pending_acquires',
    'routers_added',
  ];
  const rows = result.cells.map((c) => [
    String(c.index),
    ...result.axes.map((a, i) => String(a.values[c.coords[i]!])),
    c.verdict,
    String(isUnsafe(c.verdict)),
    String(c.storm),
    c.timeToRecoverFromStormSec === null ? '' : String(c.timeToRecoverFromStormSec),
    c.timeToRecoverSec === null ? '' : String(c.timeToRecoverSec),
    c.dominantLoop,
    c.traceHash,
    c.evidence,
    String(c.minConnectedFraction),
    String(c.peakPendingAcquires),
    String(c.routersAdded),
  ]);
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}
