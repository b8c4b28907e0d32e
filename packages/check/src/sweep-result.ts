/**
 * A finished sweep: its definition (topology, seed, axes, fingerprint), every
 * cell's verdict, the verdict counts and the margin of the file's own
 * settings. Built the same way from one run or from merged shards, and free of
 * wall-clock values, so the same sweep always gives the same bytes.
 */
import type { VerdictKind } from './oracle.ts';
import type { SweepAxis } from './sweep.ts';
import { type SweepCell, UNSAFE_VERDICTS } from './sweep-cell.ts';
import { type SweepEdge, sweepEdges } from './sweep-edge.ts';
import { type SweepMargin, sweepMargin } from './sweep-margin.ts';

/** What identifies a sweep; shards of one sweep share it exactly. */
export interface SweepDefinition {
  /** the topology's name and its file as given on the command line */
  topology: { name: string; file: string };
  seed: number;
  /** a hash of the topology file's content, the seed, the axes and the tool version */
  fingerprint: string;
  axes: SweepAxis[];
}

export const SWEEP_FORMAT = 'stampede-sweep';
/** 2: cells carry their severity, the result its edges */
export const SWEEP_FORMAT_VERSION = 3;

export interface SweepResult extends SweepDefinition {
  format: typeof SWEEP_FORMAT;
  version: typeof SWEEP_FORMAT_VERSION;
  unsafeVerdicts: VerdictKind[];
  counts: Record<VerdictKind, number>;
  margin: SweepMargin;
  /** every cell, in index order (the first axis varies fastest) */
  cells: SweepCell[];
  /** where the safe cells or the boundary sit at the edge of a swept range, with the wider --vary to try */
  edges: SweepEdge[];
}

export const cellCountOf = (axes: readonly Pick<SweepAxis, 'values'>[]): number => axes.reduce((n, a) => n * a.values.length, 1);

/** The result of `definition` from its cells, given in any order; each cell must be there exactly once. */
export function assembleSweep(definition: SweepDefinition, cells: readonly SweepCell[]): SweepResult {
  const total = cellCountOf(definition.axes);
  const sorted = [...cells].sort((a, b) => a.index - b.index);
  if (sorted.length !== total || sorted.some((c, i) => c.index !== i))
    throw new Error(`assembleSweep: expected cells 0 to ${total - 1} once each, got ${sorted.map((c) => c.index).join(', ')}`);
  const counts: Record<VerdictKind, number> = { recovered: 0, slow: 0, metastable: 0, overloaded: 0 };
  for (const c of sorted) counts[c.verdict]++;
  // key order is fixed here, whatever order the definition's keys came in (a shard file read back)
  return {
    format: SWEEP_FORMAT,
    version: SWEEP_FORMAT_VERSION,
    topology: { name: definition.topology.name, file: definition.topology.file },
    seed: definition.seed,
    fingerprint: definition.fingerprint,
    axes: definition.axes.map((a) => ({
      path: a.path,
      kind: a.kind,
      values: a.values,
      labels: a.labels,
      own: a.own === null ? null : { value: a.own.value, label: a.own.label, from: a.own.from },
    })),
    unsafeVerdicts: [...UNSAFE_VERDICTS],
    counts,
    margin: sweepMargin(definition.axes, sorted),
    cells: sorted.map((c) => ({
      index: c.index,
      coords: c.coords,
      verdict: c.verdict,
      timeToRecoverSec: c.timeToRecoverSec,
      storm: c.storm,
      timeToRecoverFromStormSec: c.timeToRecoverFromStormSec,
      dominantLoop: c.dominantLoop,
      traceHash: c.traceHash,
      evidence: c.evidence,
      minConnectedFraction: c.minConnectedFraction,
      peakPendingAcquires: c.peakPendingAcquires,
      routersAdded: c.routersAdded,
    })),
    edges: sweepEdges(definition.axes, sorted),
  };
}
