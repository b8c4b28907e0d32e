/**
 * The worker threads of `stampede check`, judging rollout cases. Results are
 * memoised by case, so fast-check's replay of cases already judged (and
 * repeated shrink candidates) costs nothing.
 */
import type { RolloutCase } from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import type { CaseVerdict, CheckWorkerData } from './check-worker.ts';
import { siblingModule } from './package-files.ts';
import { createThreadPool } from './thread-pool.ts';

export interface JudgePool {
  judge(c: RolloutCase): Promise<CaseVerdict>;
  /** a verdict judged elsewhere (a check shard): the case is not judged again */
  remember(c: RolloutCase, v: CaseVerdict): void;
  close(): Promise<void>;
}

/** `engine`: what runs the actors' machines in every judgement (default 'compiled'). */
export function createJudgePool(file: string, threads: number, engine?: EngineName): JudgePool {
  const pool = createThreadPool<RolloutCase, CaseVerdict>(
    siblingModule('check-worker'),
    { file, engine } satisfies CheckWorkerData,
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
