/**
 * Running TypeScript on worker threads, a bounded number at a time.
 *
 * On Node 20, `new Worker(url, { execArgv: ['--import', 'tsx'] })` does not
 * apply tsx's loader to the worker's entry module (ERR_UNKNOWN_FILE_EXTENSION
 * for .ts), so each worker starts from a tiny JavaScript bootstrap that
 * registers tsx in the worker and then imports the TypeScript entry. The
 * `source` condition is passed as usual, so workspace packages resolve to
 * their sources as in the main thread.
 */
import { Worker } from 'node:worker_threads';

/** Starts `entry` (a .ts module URL) on a new worker thread under tsx. */
export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: ['--conditions=source'] });
}

/** Runs `task` for every job with at most `concurrency` running at once; results in job order. */
export async function runBounded<In, Out>(
  jobs: readonly In[],
  concurrency: number,
  task: (job: In, index: number) => Promise<Out>,
): Promise<Out[]> {
  const results = new Array<Out>(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await task(jobs[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, jobs.length)) }, lane));
  return results;
}
