/**
 * Worker threads, a bounded number at a time.
 *
 * Built (the `stampede` bin, an installed package), a worker's entry is a
 * .js module and starts as it is. Run from the TypeScript sources (tests,
 * tsx), it is a .ts module: on Node 20, `new Worker(url, { execArgv:
 * ['--import', 'tsx'] })` does not apply tsx's loader to the worker's entry
 * module (ERR_UNKNOWN_FILE_EXTENSION for .ts), so such a worker starts from a
 * tiny JavaScript bootstrap that registers tsx (a development dependency)
 * and then imports the TypeScript entry, with the `source` condition, so
 * workspace packages resolve to their sources as in the main thread.
 */
import { Worker } from 'node:worker_threads';

/** The module `name` beside the module at `base` (its import.meta.url): `name.ts` when running from sources, `name.js` when built. */
export function siblingModule(base: string, name: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

/** Starts `entry` (a module URL, see `siblingModule`) on a new worker thread. */
export function startWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
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
