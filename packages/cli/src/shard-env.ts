/**
 * Which shard this process is, from `--shard I/N` or from the environment of the runners people already use:
 * - a CI matrix sets `STAMPEDE_SHARD=I/N` (e.g. `STAMPEDE_SHARD: ${{ matrix.shard }}/4` in GitHub Actions);
 * - a Kubernetes Indexed Job gives each pod `JOB_COMPLETION_INDEX` (0-based); the Job passes its `completions` as
 *   `STAMPEDE_SHARD_COUNT`, and the shard is JOB_COMPLETION_INDEX + 1 of STAMPEDE_SHARD_COUNT.
 * `--shard` wins over the environment. JOB_COMPLETION_INDEX alone shards nothing: a pod of an unrelated Indexed Job
 * runs the whole sweep or check.
 */
import { UsageError } from './errors.ts';

/** Where a shard came from, as a message names it: `--shard 2/4`, `STAMPEDE_SHARD=2/4 in the environment`, … */
export function shardSource(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag !== undefined) return `--shard ${flag}`;
  if (env.STAMPEDE_SHARD !== undefined && env.STAMPEDE_SHARD.trim() !== '')
    return `STAMPEDE_SHARD=${env.STAMPEDE_SHARD} in the environment`;
  return `JOB_COMPLETION_INDEX=${env.JOB_COMPLETION_INDEX} and STAMPEDE_SHARD_COUNT=${env.STAMPEDE_SHARD_COUNT} in the environment`;
}

export function shardFromEnvironment(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (flag !== undefined) return flag;
  const fromMatrix = env.STAMPEDE_SHARD;
  if (fromMatrix !== undefined && fromMatrix.trim() !== '') return fromMatrix;
  const count = env.STAMPEDE_SHARD_COUNT;
  if (count === undefined || count.trim() === '') return undefined;
  const index = env.JOB_COMPLETION_INDEX;
  if (index === undefined || !/^\s*\d+\s*$/.test(index))
    throw new UsageError(
      `STAMPEDE_SHARD_COUNT=${count} needs JOB_COMPLETION_INDEX (the 0-based index a Kubernetes Indexed Job gives each pod), got ${index === undefined ? 'none' : `'${index}'`}; outside an Indexed Job set STAMPEDE_SHARD=I/N or pass --shard I/N`,
    );
  return `${Number(index) + 1}/${count.trim()}`;
}
