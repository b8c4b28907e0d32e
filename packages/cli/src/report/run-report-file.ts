/**
 * `run --report FILE.html`: judge the run with the oracle (which re-runs the
 * scenario without its manual rollbacks), build the page, write it
 * atomically. A topology the oracle cannot judge (no trigger, or less than
 * the 5 minutes of steady state its baseline needs) still gets a report,
 * saying why there is no verdict.
 */
import type { EngineName } from '@stampede/kernel';
import type { PlatformParams, RunResult } from '@stampede/model';
import { type RunReportInput, runReportHtml } from '@stampede/report';
import { verdictFor } from '../verdict.ts';
import { writeReport } from './report-file.ts';

export interface RunReportJob {
  file: string;
  seed: number;
  /** the engine the run ran on; the oracle judges on it too. @defaultValue 'compiled' */
  engine?: EngineName | undefined;
  params: PlatformParams;
  result: RunResult;
  recoveredFraction: number;
  /** the verdict when the caller already has it (`run` judges before it runs); absent: judged here */
  verdict?: RunReportInput['verdict'] | undefined;
}

/** The oracle's verdict, or why there is none (verdict.ts; re-exported here for the report's users). */
export { verdictFor };

export async function writeRunReport(path: string, job: RunReportJob): Promise<void> {
  const page = runReportHtml({ ...job, verdict: job.verdict ?? verdictFor(job.params, job.seed, job.engine) });
  await writeReport(path, page);
}
