/**
 * `run --report FILE.html`: judge the run with the oracle (which re-runs the
 * scenario without its manual rollbacks), build the page, write it
 * atomically. A topology the oracle cannot judge (no trigger, or less than
 * the 5 minutes of steady state its baseline needs) still gets a report,
 * saying why there is no verdict.
 */
import { judge } from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import type { PlatformParams, RunResult } from '@stampede/model';
import { writeReport } from './report-file.ts';
import { type RunReportInput, runReportHtml } from './run-report.ts';

export interface RunReportJob {
  file: string;
  seed: number;
  /** the engine the run ran on; the oracle judges on it too. @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  params: PlatformParams;
  result: RunResult;
  recoveredFraction: number;
}

/** The oracle's verdict on `engine` (default 'compiled'), or why it cannot judge this topology (its own 'judge: …' errors). */
export function verdictFor(params: PlatformParams, seed: number, engine?: EngineName): RunReportInput['verdict'] {
  try {
    return judge(params, seed, { engine });
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('judge: ')) return { unavailable: `No verdict: ${err.message.slice(7)}.` };
    throw err;
  }
}

export async function writeRunReport(path: string, job: RunReportJob): Promise<void> {
  const page = runReportHtml({ ...job, verdict: verdictFor(job.params, job.seed, job.engine) });
  await writeReport(path, page);
}
