/**
 * A sweep result as the HTML report's heatmap input: coordinates become axis
 * values (the report shows values, the result stores indices), the file's own
 * settings are marked, and the margin sentence goes under the map.
 */
import type { SweepResult } from '@stampede/check';
import type { SweepReportInput } from './report/index.ts';
import { sweepReplayCommand } from './sweep-replay.ts';

/** The report's input; its replay block is the sweep command that produced `result` (for a merge, the shards' sweep without --shard). */
export function sweepReportInput(result: SweepResult): SweepReportInput {
  const own = result.axes.every((a) => a.own !== null) ? result.axes.map((a) => a.own!.value) : undefined;
  return {
    title: `stampede sweep: ${result.topology.name}`,
    file: result.topology.file,
    seed: result.seed,
    axes: result.axes.map((a) => ({
      path: a.path,
      values: a.values,
      labels: a.labels,
      ...(a.own === null ? {} : { ownLabel: a.own.label }),
    })),
    cells: result.cells.map((c) => ({
      coords: c.coords.map((i, axis) => result.axes[axis]!.values[i]!),
      verdict: c.verdict,
      timeToRecoverSec: c.timeToRecoverSec,
      storm: c.storm,
      timeToRecoverFromStormSec: c.timeToRecoverFromStormSec,
      minConnectedFraction: c.minConnectedFraction,
      peakPendingAcquires: c.peakPendingAcquires,
      routersAdded: c.routersAdded,
    })),
    ...(own === undefined ? {} : { own }),
    marginText: [result.margin.summary, ...result.edges.map((e) => `Edge of the range: ${e.summary}.`)].join(' '),
    command: sweepReplayCommand(result),
  };
}
