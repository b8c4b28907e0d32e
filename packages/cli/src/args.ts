/**
 * Argument parsing and checking: each failure is a one-line message naming
 * the argument, the value and what to pass instead.
 */
import { accessSync, constants, statSync } from 'node:fs';
import type { EngineName } from '@stampede/kernel';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.ts';

export const DEFAULT_SEED = 1;
export const MAX_SEED = 0xffff_ffff;

/**
 * `--engine`: what runs the actors' xstate machines (the kernel's `createSimulation({ engine })`).
 * 'compiled' (the default) runs them from tables compiled once, 5–9× faster; 'xstate' runs them on xstate's own
 * interpreter, the reference. Both give the same trace hash.
 */
export const ENGINES: readonly EngineName[] = ['compiled', 'xstate'];
export { DEFAULT_ENGINE, engineArg } from '@stampede/report';

/** A thing ran on another engine than the one asked for: a bug in passing `--engine` on, never the user's. */
export function checkEngine(asked: EngineName, ran: EngineName | undefined, what: string): void {
  if (ran !== asked)
    throw new Error(`${what} ran on the ${ran ?? 'unknown'} engine, not the ${asked} engine asked for with --engine (a bug)`);
}

/** commander argParser for `--seed`: an integer in [0, 2^32 - 1]. */
export function parseSeed(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n > MAX_SEED) {
    throw new InvalidArgumentError(`expected an integer from 0 to ${MAX_SEED}, e.g. --seed 42.`);
  }
  return n;
}

const reasons: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

/** Throws a UsageError unless `file` is a readable regular file. */
export function checkReadableFile(file: string, what = 'topology file'): void {
  const hint = 'pass the path of a topology YAML file, e.g. examples/topologies/prod4-incident.yaml';
  try {
    accessSync(file, constants.R_OK);
    if (!statSync(file).isFile()) throw new UsageError(`cannot read ${what} '${file}': it is not a regular file; ${hint}`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    throw new UsageError(`cannot read ${what} '${file}': ${reasons[code] ?? (err as Error).message}${code ? ` (${code})` : ''}; ${hint}`);
  }
}
