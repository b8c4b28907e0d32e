/**
 * `run --report FILE.html`: judge the run with the oracle (which re-runs the
 * scenario without its manual rollbacks), build the page, write it
 * atomically. A topology the oracle cannot judge (no trigger, or less than
 * the 5 minutes of steady state its baseline needs) still gets a report,
 * saying why there is no verdict.
 */
import { type RunReportInput, runReportHtml } from '@stampede/report';
import { verdictFor } from '../verdict.ts';
import { writeReport } from './report-file.ts';

/** A run report's input, where the verdict may be left out: the caller's (`run` judges before it runs), else judged here on the run's engine. */
export type RunReportJob = Omit<RunReportInput, 'verdict'> & { verdict?: RunReportInput['verdict'] | undefined };

/** The oracle's verdict, or why there is none (verdict.ts; re-exported here for the report's users). */
export { verdictFor };

export async function writeRunReport(path: string, job: RunReportJob): Promise<void> {
  const page = runReportHtml({ ...job, verdict: job.verdict ?? verdictFor(job.params, job.seed, job.engine) });
  await writeReport(path, page);
}
