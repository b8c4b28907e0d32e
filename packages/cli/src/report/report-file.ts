/**
 * The `--report FILE.html` option: the path is checked before the long run
 * (so a typo costs nothing), and the page is written atomically after it (a
 * temporary file renamed into place), so a failed run never leaves a
 * half-written report behind. Checking creates nothing; writing creates the
 * missing directories.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { UsageError } from '../errors.ts';

const HINT = 'pass a file name ending in .html in a writable directory, e.g. --report reports/incident.html';

function fail(path: string, why: string): never {
  throw new UsageError(`cannot write the --report file '${path}': ${why}; ${HINT}`);
}

/** Throws a UsageError unless `path` ends in .html (or .htm) and could be written: its directory exists or can be created, and is writable. */
export function checkReportPath(path: string): void {
  if (!/\.html?$/i.test(path)) fail(path, 'the name does not end in .html');
  const abs = resolve(path);
  const existing = statOrUndefined(abs);
  if (existing?.isDirectory()) fail(path, 'it is a directory');
  if (existing !== undefined && !writable(abs)) fail(path, 'permission denied (EACCES)');
  // the nearest existing ancestor must be a writable directory: everything below it can be created
  let dir = dirname(abs);
  let st = statOrUndefined(dir);
  while (st === undefined && dirname(dir) !== dir) {
    dir = dirname(dir);
    st = statOrUndefined(dir);
  }
  if (st === undefined) fail(path, 'no existing directory above it');
  if (!st.isDirectory()) fail(path, `'${dir}' is a file, not a directory (ENOTDIR)`);
  if (!writable(dir)) fail(path, `the directory '${dir}' is not writable (EACCES)`);
}

/** Writes the page to `path` (creating missing directories) atomically. */
export async function writeReport(path: string, page: string): Promise<void> {
  try {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    await writeFileAtomic(path, page);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    fail(path, e.code ?? e.message);
  }
}

/** The path's stats, or undefined when there is nothing there (ENOENT, or ENOTDIR: a file where a directory should be, found by climbing). */
function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
