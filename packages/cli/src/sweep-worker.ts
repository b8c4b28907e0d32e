/**
 * Worker thread of `stampede sweep`: judges cells one at a time as the main
 * thread sends them, for as long as it lives (starting a worker costs more
 * than judging a small cell, so one worker takes many cells).
 */
import { parentPort } from 'node:worker_threads';
import { judgeCell, type SweepCell, serveJobs } from '@stampede/check';
import type { PlatformParams } from '@stampede/model';

export interface SweepCellJob {
  index: number;
  params: PlatformParams;
  seed: number;
  /** the number of values on each axis, for the cell's coordinates */
  sizes: number[];
}

if (parentPort !== null) serveJobs((job: SweepCellJob): SweepCell => judgeCell(job.params, job.seed, job.index, job.sizes));
