/**
 * The `stampede sweep` command that produces a sweep result, rebuilt from the
 * result itself (its topology file as given, axes and seed), so a merged
 * result replays as the shards' sweep without --shard. With `widen`, one
 * axis's --vary is replaced: the wider range an edge note suggests.
 */
import { axisVary, type SweepResult } from '@stampede/check';
import { shellArg } from '@stampede/report';

export function sweepReplayCommand(
  result: Pick<SweepResult, 'topology' | 'axes' | 'seed'>,
  widen?: { axis: number; vary: string },
): string {
  const varies = result.axes.map((a, i) => (widen !== undefined && widen.axis === i ? widen.vary : axisVary(a)));
  return `stampede sweep ${[result.topology.file, ...varies.flatMap((v) => ['--vary', v])].map(shellArg).join(' ')} --seed ${result.seed}`;
}
