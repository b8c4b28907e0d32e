/**
 * The `--report FILE.html` option: the path is checked before the long run
 * (so a typo costs nothing), and the page is written atomically after it (a
 * temporary file renamed into place), so a failed run never leaves a
 * half-written report behind. Checking creates nothing; writing creates the
 * missing directories.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UsageError } from '../errors.ts';
import { noteKept } from '../interrupt.ts';
import { unwritableReason } from '../output-path.ts';

const HINT = 'pass a file name ending in .html in a writable directory, e.g. --report out/incident.html';

function fail(path: string, why: string): never {
  throw new UsageError(`cannot write the --report file '${path}': ${why}; ${HINT}`);
}

/** Throws a UsageError unless `path` ends in .html (or .htm) and could be written: its directory exists or can be created, and is writable (see output-path.ts). */
export function checkReportPath(path: string): void {
  if (!/\.html?$/i.test(path)) fail(path, 'the name does not end in .html');
  const why = unwritableReason(path, 'file');
  if (why !== undefined) fail(path, why);
}

/** Writes the page to `path` (creating missing directories) atomically. */
export async function writeReport(path: string, page: string): Promise<void> {
  // again, before mkdir: the place may have changed during the run, and a recursive mkdir under /proc can spin
  const why = unwritableReason(path, 'file');
  if (why !== undefined) fail(path, why);
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    await writeFileAtomic(path, page);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    fail(path, e.code ?? e.message);
  }
  noteKept(path);
}
