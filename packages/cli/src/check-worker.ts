/**
 * Worker thread of `stampede check`: loads the topology once, then judges
 * each case it is sent (policy, faults, simulation seed) with the oracle on
 * the check's engine and posts the verdict back. It lives as long as the check, so tsx and the
 * topology load once per thread, not once per case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyCase, judge, type RolloutCase, type VerdictKind } from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import { serveJobs } from './thread-pool.ts';
import { loadTopology } from './topology.ts';

export interface CheckWorkerData {
  file: string;
  /** what runs the actors' machines in both of the oracle's runs; absent: 'compiled' */
  engine?: EngineName | undefined;
}

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
  const { file, engine } = workerData as CheckWorkerData;
  const topology = loadTopology(file);
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
