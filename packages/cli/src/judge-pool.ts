/**
 * A fixed set of long-lived worker threads that judge rollout cases, fed
 * from one queue: `judge(c)` resolves when a free thread has judged it.
 * Results are memoised by case, so fast-check's replay of cases already
 * judged (and repeated shrink candidates) costs nothing.
 */
import type { Worker } from 'node:worker_threads';
import type { RolloutCase } from '@stampede/check';
import type { CaseVerdict, CheckRequest, CheckResponse, CheckWorkerData } from './check-worker.ts';
import { startTsWorker } from './worker-pool.ts';

export interface JudgePool {
  judge(c: RolloutCase): Promise<CaseVerdict>;
  /** how many distinct cases were judged by a thread (memo hits excluded) */
  readonly judged: number;
  close(): Promise<void>;
}

interface Pending {
  id: number;
  rolloutCase: RolloutCase;
  resolve: (v: CaseVerdict) => void;
  reject: (e: Error) => void;
}

export function createJudgePool(file: string, threads: number): JudgePool {
  const memo = new Map<string, Promise<CaseVerdict>>();
  const queue: Pending[] = [];
  const busy = new Map<Worker, Pending>();
  const idle: Worker[] = [];
  let nextId = 0;
  let judged = 0;
  let failure: Error | undefined;
  let closing = false;

  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const w = idle.pop()!;
      const job = queue.shift()!;
      busy.set(w, job);
      w.postMessage({ id: job.id, rolloutCase: job.rolloutCase } satisfies CheckRequest);
    }
  };
  const fail = (err: Error) => {
    failure ??= err;
    for (const job of [...busy.values(), ...queue.splice(0)]) job.reject(err);
    busy.clear();
  };

  const workers = Array.from({ length: Math.max(1, threads) }, () => {
    const w = startTsWorker(new URL('./check-worker.ts', import.meta.url), { file } satisfies CheckWorkerData);
    w.on('message', (m: CheckResponse) => {
      const job = busy.get(w);
      busy.delete(w);
      idle.push(w);
      if (job !== undefined && job.id === m.id) {
        judged++;
        if (m.ok) job.resolve(m.result);
        else job.reject(new Error(`judging a case failed in a worker thread:\n${m.error}`));
      }
      pump();
    });
    w.on('error', (err) => fail(err));
    w.on('exit', (code) => {
      if (code !== 0 && !closing) fail(new Error(`a check worker thread exited with code ${code}`));
    });
    idle.push(w);
    return w;
  });

  return {
    judge(c) {
      const key = JSON.stringify(c);
      let p = memo.get(key);
      if (p === undefined) {
        p = new Promise<CaseVerdict>((resolve, reject) => {
          if (failure !== undefined) return reject(failure);
          queue.push({ id: nextId++, rolloutCase: c, resolve, reject });
          pump();
        });
        memo.set(key, p);
      }
      return p;
    },
    get judged() {
      return judged;
    },
    async close() {
      closing = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
