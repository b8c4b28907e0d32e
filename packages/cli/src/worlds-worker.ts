/**
 * Worker thread of `stampede demo --worlds`: does runs and judgements of
 * topologies in worlds one at a time as the main thread sends them, for as
 * long as it lives.
 */
import { parentPort } from 'node:worker_threads';
import { runWorldsJob, serveJobs } from '@stampede/check';

if (parentPort !== null) serveJobs(runWorldsJob);
