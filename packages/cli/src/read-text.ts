/** Reading a file the user named, with a usage error that says which file and why it could not be read. */
import { readFileSync } from 'node:fs';
import { UsageError } from './errors.ts';

/** The file's text; a UsageError `cannot read WHAT 'FILE': no such file` (plus `; HINT`) when it cannot be read. */
export function readUserText(file: string, what: string, hint?: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : (e.code ?? e.message);
    throw new UsageError(`cannot read ${what} '${file}': ${why}${hint === undefined ? '' : `; ${hint}`}`);
  }
}
