/**
 * Worker thread of `stampede demo`: runs one topology file with the given
 * seed and engine and posts progress, then the summary (or what went wrong),
 * the engine it ran on, and a small timeline of the connected fraction for
 * the HTML report.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineName } from '@stampede/kernel';
import { runPlatform } from '@stampede/model';
import type { ScenarioOutcome } from '@stampede/report';
import { type ScenarioTimeline, scenarioTimeline } from '@stampede/report';
import { checkEngine } from './args.ts';
import { TopologyFileError, UsageError } from './errors.ts';
import { RECOVERED_FRACTION } from './run-command.ts';
import { loadTopology } from './topology.ts';
import { verdictFor } from './verdict.ts';

export interface DemoJob {
  file: string;
  seed: number;
  /** what runs the actors' machines, in the run and the oracle's judgement */
  engine: EngineName;
}

/**
 * A finished scenario: its outcome and, when it ran, its timeline (a point per 30 s: the message stays small) and
 * the engine the simulation says it ran on (run and judgement alike).
 */
export interface DemoResult {
  outcome: ScenarioOutcome;
  timeline?: ScenarioTimeline;
  engine?: EngineName;
}

export type DemoWorkerMessage = { type: 'progress'; doneMs: number; totalMs: number } | ({ type: 'result' } & DemoResult);

function runJob({ file, seed, engine }: DemoJob, post: (m: DemoWorkerMessage) => void): DemoResult {
  try {
    const params = loadTopology(file);
    let ran: EngineName | undefined;
    const result = runPlatform(params, {
      seed,
      engine,
      recoveredFraction: RECOVERED_FRACTION,
      onProgress: (doneMs, totalMs) => post({ type: 'progress', doneMs, totalMs }),
      onBuild: (platform) => {
        ran = platform.sim.engine;
      },
    });
    const summary = result.summary;
    const rollbacks = params.timeline.filter((e) => e.kind === 'rollback').map((e) => e.atMs);
    // the same judgement as `stampede run FILE --seed N` prints first, so the replay lines show this verdict
    const v = verdictFor(params, seed, engine);
    if ('unavailable' in v) return { outcome: { file, ok: false, kind: 'topology', text: `no verdict: ${v.unavailable}` } };
    checkEngine(engine, v.engine, `the oracle's judgement of ${file}`);
    const outcome: ScenarioOutcome = {
      file,
      ok: true,
      summary,
      rollbackAtMs: rollbacks.length > 0 ? Math.min(...rollbacks) : undefined,
      verdict: {
        verdict: v.verdict,
        dominantLoop: v.dominantLoop,
        timeToRecoverSec: v.timeToRecoverSec,
        storm: v.storm,
        timeToRecoverFromStormSec: v.timeToRecoverFromStormSec,
      },
    };
    return { outcome, timeline: scenarioTimeline(params, result, RECOVERED_FRACTION), ...(ran === undefined ? {} : { engine: ran }) };
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
