/**
 * One cell of a sweep judged by the oracle: its coordinates, the verdict and
 * what backs it. Only the seed and the cell's topology go in, so a cell's
 * result is the same in any process, worker or shard.
 */
import type { PlatformParams } from '@stampede/model';
import { judge, type SustainingLoop, type VerdictKind } from './oracle.ts';
import { cellCoords } from './sweep.ts';

export interface SweepCell {
  /** the cell's index in the grid; the first axis varies fastest */
  index: number;
  /** index into each axis's values */
  coords: number[];
  verdict: VerdictKind;
  /** from the trigger (includes the rollout); null when not recovered */
  timeToRecoverSec: number | null;
  /** whether connected fell below STORM_CONNECTED_FRACTION_BELOW (@stampede/model) after the trigger */
  storm: boolean;
  /** from the storm's start (what the scoreboard shows); null without a storm or when not recovered */
  timeToRecoverFromStormSec: number | null;
  dominantLoop: SustainingLoop;
  traceHash: string;
  /** the oracle's one-paragraph explanation */
  evidence: string;
  /** severity, from the oracle's judged run (Verdict.severity): lowest connected fraction after the trigger */
  minConnectedFraction: number;
  /** most acquires waiting for a router slot at one sample */
  peakPendingAcquires: number;
  /** router pods the autoscaler added */
  routersAdded: number;
}

/** Unsafe: the platform does not come back by itself. Metastable (a bad stable state the burst moved it to, though
 * the same configuration is healthy from a quiet start) or overloaded (unhealthy even from a quiet start). Slow is
 * not unsafe: it is still recovering at the deadline. */
export const UNSAFE_VERDICTS: readonly VerdictKind[] = ['metastable', 'overloaded'];

export const isUnsafe = (verdict: VerdictKind): boolean => UNSAFE_VERDICTS.includes(verdict);

export function judgeCell(params: PlatformParams, seed: number, index: number, sizes: readonly number[]): SweepCell {
  const v = judge(params, seed);
  return {
    index,
    coords: cellCoords(index, sizes),
    verdict: v.verdict,
    timeToRecoverSec: v.timeToRecoverSec ?? null,
    storm: v.storm,
    timeToRecoverFromStormSec: v.timeToRecoverFromStormSec ?? null,
    dominantLoop: v.dominantLoop,
    traceHash: v.traceHash,
    evidence: v.evidence,
    minConnectedFraction: v.severity.minConnectedFraction,
    peakPendingAcquires: v.severity.peakPendingAcquires,
    routersAdded: v.severity.routersAdded,
  };
}
