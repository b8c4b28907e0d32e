/**
 * A Chrome trace JSON file written as the run goes: `{"traceEvents":[…],
 * "displayTimeUnit":"ms","otherData":{…}}`, one event per line.
 *
 * A trace of a long run can be hundreds of megabytes, so events are streamed
 * to a temporary file next to the target and renamed into place by `commit`;
 * `abort` (a failed run) removes it, so nothing half-written is left. Writes
 * are synchronous because the simulation is: an async stream would only
 * queue the whole trace in memory until the run ends.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ChromeTraceEvent } from '@stampede/kernel';
import { UsageError } from './errors.ts';
import { registerTemp } from './interrupt.ts';
import { unwritableReason } from './output-path.ts';

const FLUSH_AT_CHARS = 1 << 20;

export interface TraceFile {
  write(event: ChromeTraceEvent): void;
  /** Ends the JSON, adds `otherData` (strings only: the format's metadata dictionary), renames into place; returns the size in bytes. */
  commit(otherData: Record<string, string>): number;
  /** Removes the temporary file (a failed run). Does nothing after a successful `commit`. */
  abort(): void;
}

/**
 * Opens the temporary file at once, so a path that cannot be written fails
 * before the run, not after it. Missing directories are created.
 */
export function openTraceFile(path: string): TraceFile {
  if (!path.endsWith('.json')) {
    throw new UsageError(`--trace '${path}': the name must end in .json (a Chrome trace-event JSON file), e.g. --trace out/incident.json`);
  }
  const why = unwritableReason(path, 'file');
  if (why === 'it is a directory')
    throw new UsageError(`--trace '${path}' is a directory; pass a file name ending in .json, e.g. ${join(path, 'trace.json')}`);
  // checked before mkdir: a recursive mkdir under /proc can spin instead of failing
  if (why !== undefined) throw new UsageError(`--trace '${path}': cannot write there (${why}); pick a writable path`);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(temp, 'w');
  } catch (err) {
    throw new UsageError(
      `--trace '${path}': cannot write there (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); pick a writable path`,
    );
  }
  // removed if the run is interrupted, and named in the interrupt line
  const cleanup = registerTemp(temp, 'the unfinished trace');
  let buffer = '{"traceEvents":[\n';
  let first = true;
  let open = true;
  let committed = false;
  const flush = () => {
    writeSync(fd, buffer);
    buffer = '';
  };
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(event) {
      buffer += first ? JSON.stringify(event) : `,\n${JSON.stringify(event)}`;
      first = false;
      if (buffer.length >= FLUSH_AT_CHARS) flush();
    },
    commit(otherData) {
      buffer += `\n],\n"displayTimeUnit":"ms",\n"otherData":${JSON.stringify(otherData)}}\n`;
      flush();
      fsyncSync(fd);
      close();
      renameSync(temp, path);
      cleanup.release();
      committed = true;
      return statSync(path).size;
    },
    abort() {
      if (committed) return;
      buffer = '';
      try {
        close();
      } finally {
        cleanup.remove();
      }
    },
  };
}
