/**
 * A worker thread judging rollout cases for a parallel check (judge-pool.ts): it gets the topology once, then judges
 * each case it is sent (policy, faults, simulation seed) with the oracle on the check's engine and posts the verdict
 * back. It lives as long as the check, so module loading happens once per thread, not once per case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineName } from '@stampede/kernel';
import type { PlatformParams } from '@stampede/model';
import { judge, type VerdictKind } from '../oracle.ts';
import { applyCase, type RolloutCase } from '../properties.ts';
import { serveJobs } from './thread-pool.ts';

export interface CheckWorkerData {
  /** the topology every case is applied to */
  topology: PlatformParams;
  /** what runs the actors' machines in both of the oracle's runs; absent: 'compiled' */
  engine?: EngineName | undefined;
}

/** The oracle's verdict on one case, as the worker threads send it back. */
export interface CaseVerdict {
  verdict: VerdictKind;
  /** the engine the oracle's runs ran on, as the simulation reports it */
  engine: EngineName;
  evidence: string;
  timeToRecoverSec: number | undefined;
  dominantLoop: string;
  traceHash: string;
}

if (parentPort !== null) {
  const { topology, engine } = workerData as CheckWorkerData;
  serveJobs((c: RolloutCase): CaseVerdict => {
    const v = judge(applyCase(topology, c), c.seed, { engine });
    return {
      verdict: v.verdict,
      engine: v.engine,
      evidence: v.evidence,
      timeToRecoverSec: v.timeToRecoverSec,
      dominantLoop: v.dominantLoop,
      traceHash: v.traceHash,
    };
  });
}
