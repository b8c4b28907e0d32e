/**
 * Worker thread of `stampede check`: loads the topology once, then judges
 * each case it is sent (policy, faults, simulation seed) with the oracle and
 * posts the verdict back. It lives as long as the check, so tsx and the
 * topology load once per thread, not once per case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyCase, judge, type RolloutCase, type VerdictKind } from '@stampede/check';
import { serveJobs } from './thread-pool.ts';
import { loadTopology } from './topology.ts';

export interface CheckWorkerData {
  file: string;
}

export interface CaseVerdict {
  verdict: VerdictKind;
  evidence: string;
  timeToRecoverSec: number | undefined;
  dominantLoop: string;
  traceHash: string;
}

if (parentPort !== null) {
  const topology = loadTopology((workerData as CheckWorkerData).file);
  serveJobs((c: RolloutCase): CaseVerdict => {
    const v = judge(applyCase(topology, c), c.seed);
    return {
      verdict: v.verdict,
      evidence: v.evidence,
      timeToRecoverSec: v.timeToRecoverSec,
      dominantLoop: v.dominantLoop,
      traceHash: v.traceHash,
    };
  });
}
