/**
 * Worker thread of `stampede demo`: runs one topology file with the given
 * seed and posts progress, then the summary (or what went wrong) and a
 * small timeline of the connected fraction for the HTML report.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { judge } from '@stampede/check';
import { runPlatform } from '@stampede/model';
import { TopologyFileError, UsageError } from './errors.ts';
import { type ScenarioTimeline, scenarioTimeline } from './report/scenario-timeline.ts';
import { RECOVERED_FRACTION } from './run-command.ts';
import type { ScenarioOutcome } from './scoreboard.ts';
import { loadTopology } from './topology.ts';

export interface DemoJob {
  file: string;
  seed: number;
}

/** A finished scenario: its outcome and, when it ran, its timeline (a point per 30 s: the message stays small). */
export interface DemoResult {
  outcome: ScenarioOutcome;
  timeline?: ScenarioTimeline;
}

export type DemoWorkerMessage = { type: 'progress'; doneMs: number; totalMs: number } | ({ type: 'result' } & DemoResult);

function runJob({ file, seed }: DemoJob, post: (m: DemoWorkerMessage) => void): DemoResult {
  try {
    const params = loadTopology(file);
    const result = runPlatform(params, {
      seed,
      recoveredFraction: RECOVERED_FRACTION,
      onProgress: (doneMs, totalMs) => post({ type: 'progress', doneMs, totalMs }),
    });
    const summary = result.summary;
    const rollbacks = params.timeline.filter((e) => e.kind === 'rollback').map((e) => e.atMs);
    const v = judge(params, seed);
    const outcome: ScenarioOutcome = {
      file,
      ok: true,
      summary,
      rollbackAtMs: rollbacks.length > 0 ? Math.min(...rollbacks) : undefined,
      verdict: { verdict: v.verdict, dominantLoop: v.dominantLoop, timeToRecoverSec: v.timeToRecoverSec },
    };
    return { outcome, timeline: scenarioTimeline(params, result, RECOVERED_FRACTION) };
  } catch (err) {
    if (err instanceof UsageError)
      return { outcome: { file, ok: false, kind: err instanceof TopologyFileError ? 'topology' : 'usage', text: err.message } };
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return { outcome: { file, ok: false, kind: 'unexpected', text } };
  }
}

if (parentPort !== null) {
  const port = parentPort;
  const post = (m: DemoWorkerMessage) => port.postMessage(m);
  post({ type: 'result', ...runJob(workerData as DemoJob, post) });
}
