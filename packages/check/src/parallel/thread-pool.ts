/**
 * A fixed set of long-lived worker threads fed from one queue: `run(job)`
 * resolves with the result when a free thread has done it. Starting a thread
 * (tsx, module load) costs more than judging a small case, so a thread takes
 * many jobs. `serveJobs` is the worker side of the same protocol.
 *
 * A job that throws in its thread rejects its own promise; a thread that dies
 * rejects every job in flight or queued, and later ones at once.
 */
import { parentPort, type Worker } from 'node:worker_threads';
import { startWorker } from './worker-start.ts';

type Request<Job> = { id: number; job: Job };
type Response<Result> = { id: number; ok: true; result: Result } | { id: number; ok: false; error: string };

export interface ThreadPool<Job, Result> {
  run(job: Job): Promise<Result>;
  close(): Promise<void>;
}

interface Pending<Job, Result> {
  id: number;
  job: Job;
  resolve: (r: Result) => void;
  reject: (e: Error) => void;
}

/** Starts `threads` workers on `entry` (a module that calls `serveJobs`), each given `workerData`. */
export function createThreadPool<Job, Result>(entry: URL, workerData: unknown, threads: number, what = 'a job'): ThreadPool<Job, Result> {
  const queue: Pending<Job, Result>[] = [];
  const busy = new Map<Worker, Pending<Job, Result>>();
  const idle: Worker[] = [];
  let nextId = 0;
  let failure: Error | undefined;
  let closing = false;

  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const p = queue.shift()!;
      busy.set(w, p);
      w.postMessage({ id: p.id, job: p.job } satisfies Request<Job>);
    }
  };
  const fail = (err: Error) => {
    failure ??= err;
    for (const p of [...busy.values(), ...queue.splice(0)]) p.reject(err);
    busy.clear();
  };

  const workers = Array.from({ length: Math.max(1, threads) }, () => {
    const w = startWorker(entry, workerData);
    w.on('message', (m: Response<Result>) => {
      const p = busy.get(w);
      busy.delete(w);
      idle.push(w);
      if (p !== undefined && p.id === m.id) {
        if (m.ok) p.resolve(m.result);
        else p.reject(new Error(`${what} failed in a worker thread:\n${m.error}`));
      }
      pump();
    });
    w.on('error', (err) => fail(err));
    w.on('exit', (code) => {
      if (code !== 0 && !closing) fail(new Error(`a worker thread exited with code ${code}`));
    });
    idle.push(w);
    return w;
  });

  return {
    run(job) {
      return new Promise<Result>((resolve, reject) => {
        if (failure !== undefined) return reject(failure);
        queue.push({ id: nextId++, job, resolve, reject });
        pump();
      });
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** In a worker thread: answers every job the pool sends with `handle(job)`, or with the error it threw. */
export function serveJobs<Job, Result>(handle: (job: Job) => Result): void {
  const port = parentPort;
  if (port === null) return;
  port.on('message', ({ id, job }: Request<Job>) => {
    let reply: Response<Result>;
    try {
      reply = { id, ok: true, result: handle(job) };
    } catch (err) {
      reply = { id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    port.postMessage(reply);
  });
}
