/**
 * Worker threads judging rollout cases of one topology: the parallel driver of a property check (`stampede check`
 * and the check bench use it). Results are memoised by case, so fast-check's replay of cases already judged (and
 * repeated shrink candidates) costs nothing.
 */
import type { EngineName } from '@stampede/kernel';
import type { PlatformParams } from '@stampede/model';
import type { RolloutCase } from '../properties.ts';
import type { CaseVerdict, CheckWorkerData } from './check-worker.ts';
import { createThreadPool } from './thread-pool.ts';
import { siblingModule } from './worker-start.ts';

export interface JudgePool {
  judge(c: RolloutCase): Promise<CaseVerdict>;
  /** a verdict judged elsewhere (a check shard): the case is not judged again */
  remember(c: RolloutCase, v: CaseVerdict): void;
  close(): Promise<void>;
}

/** `threads` worker threads judging cases of `topology`; `engine`: what runs the actors' machines (default 'compiled'). */
export function createJudgePool(topology: PlatformParams, threads: number, engine?: EngineName): JudgePool {
  const pool = createThreadPool<RolloutCase, CaseVerdict>(
    siblingModule(import.meta.url, 'check-worker'),
    { topology, engine } satisfies CheckWorkerData,
    threads,
    'judging a case',
  );
  const memo = new Map<string, Promise<CaseVerdict>>();
  return {
    judge(c) {
      const key = JSON.stringify(c);
      let p = memo.get(key);
      if (p === undefined) {
        p = pool.run(c);
        memo.set(key, p);
      }
      return p;
    },
    remember(c, v) {
      memo.set(JSON.stringify(c), Promise.resolve(v));
    },
    close: () => pool.close(),
  };
}
