/**
 * Output paths (`--report`, `--trace`, `--out`) are checked before any work
 * starts, and without creating anything: the target, if it exists, is of the
 * right kind and writable, and the nearest existing ancestor is a writable
 * directory (everything below it can be created). Pseudo file systems (/proc,
 * /sys) are refused outright: `mkdir -p` there can fail in ways that make
 * Node's recursive mkdir spin, and nothing there is an output file.
 */
import { accessSync, constants, type Stats, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { UsageError } from './errors.ts';

const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys'];

/** Why `path` cannot be written as a `kind` ('file' or 'dir'), or undefined when it can. */
export function unwritableReason(path: string, kind: 'file' | 'dir'): string | undefined {
  const abs = resolve(path);
  const pseudo = PSEUDO_FILE_SYSTEMS.find((p) => abs === p || abs.startsWith(`${p}${sep}`));
  if (pseudo !== undefined) return `${pseudo} is a kernel pseudo file system, not a place for output files`;
  const existing = statOrUndefined(abs);
  if (existing !== undefined) {
    if (kind === 'file' && existing.isDirectory()) return 'it is a directory';
    if (kind === 'dir' && !existing.isDirectory()) return 'it is a file, not a directory (ENOTDIR)';
    if (!writable(abs)) return 'permission denied (EACCES)';
    return undefined;
  }
  let dir = dirname(abs);
  let st = statOrUndefined(dir);
  while (st === undefined && dirname(dir) !== dir) {
    dir = dirname(dir);
    st = statOrUndefined(dir);
  }
  if (st === undefined) return 'no existing directory above it';
  if (!st.isDirectory()) return `'${dir}' is a file, not a directory (ENOTDIR)`;
  if (!writable(dir)) return `the directory '${dir}' is not writable (EACCES)`;
  return undefined;
}

/** The path's stats, or undefined when there is nothing there (ENOENT, or ENOTDIR: a file where a directory should be, found by climbing). */
function statOrUndefined(path: string): Stats | undefined {
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

/** `--out DIR`: a UsageError (exit 2) naming the flag, the path and why, unless the directory exists writable or can be created. */
export function checkOutDir(path: string, flag = '--out'): void {
  const why = unwritableReason(path, 'dir');
  if (why !== undefined) throw new UsageError(`cannot write the ${flag} directory '${path}': ${why}; pass a writable directory path`);
}
