/**
 * Worker thread of `stampede check`: loads the topology once, then judges
 * each case it is sent (policy, faults, simulation seed) with the oracle and
 * posts the verdict back. It lives as long as the check, so tsx and the
 * topology load once per thread, not once per case.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { applyCase, judge, type RolloutCase, type VerdictKind } from '@stampede/check';
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

export type CheckRequest = { id: number; rolloutCase: RolloutCase };
export type CheckResponse = { id: number; ok: true; result: CaseVerdict } | { id: number; ok: false; error: string };

if (parentPort !== null) {
  const port = parentPort;
  const topology = loadTopology((workerData as CheckWorkerData).file);
  port.on('message', ({ id, rolloutCase }: CheckRequest) => {
    try {
      const v = judge(applyCase(topology, rolloutCase), rolloutCase.seed);
      const result: CaseVerdict = {
        verdict: v.verdict,
        evidence: v.evidence,
        timeToRecoverSec: v.timeToRecoverSec,
        dominantLoop: v.dominantLoop,
        traceHash: v.traceHash,
      };
      port.postMessage({ id, ok: true, result } satisfies CheckResponse);
    } catch (err) {
      port.postMessage({ id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies CheckResponse);
    }
  });
}
