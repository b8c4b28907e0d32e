/**
 * Worker thread of `stampede sweep`: judges cells one at a time as the main
 * thread sends them, for as long as it lives (starting a worker costs more
 * than judging a small cell, so one worker takes many cells).
 */
import { parentPort } from 'node:worker_threads';
import { judgeCell, type SweepCell } from '@stampede/check';
import type { PlatformParams } from '@stampede/model';

export interface SweepCellJob {
  index: number;
  params: PlatformParams;
  seed: number;
  /** the number of values on each axis, for the cell's coordinates */
  sizes: number[];
}

export type SweepWorkerReply = { type: 'cell'; cell: SweepCell } | { type: 'error'; index: number; text: string };

if (parentPort !== null) {
  const port = parentPort;
  port.on('message', (job: SweepCellJob) => {
    let reply: SweepWorkerReply;
    try {
      reply = { type: 'cell', cell: judgeCell(job.params, job.seed, job.index, job.sizes) };
    } catch (err) {
      reply = { type: 'error', index: job.index, text: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    port.postMessage(reply);
  });
}
