/**
 * Worker thread of `stampede whatif`: judges (and runs) branches one at a
 * time as the main thread sends them, for as long as it lives.
 */
import { parentPort } from 'node:worker_threads';
import { runBranch, serveJobs } from '@stampede/check';

if (parentPort !== null) serveJobs(runBranch);
