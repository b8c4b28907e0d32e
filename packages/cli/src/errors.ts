/**
 * What the command does with an error: a usage error (bad argument, missing
 * or unreadable file, invalid topology) is the user's to fix, printed as plain
 * lines without a stack, exit code 2; anything else is a bug, printed with
 * its stack, exit code 1. `check` exits 3 when the property fails. An
 * interrupted command (SIGINT, SIGTERM) exits 130 or 143 (interrupt.ts).
 */
import { KernelInputError, StampedeInputError } from '@stampede/kernel';
import { safeText } from '@stampede/report';
import { CommanderError } from 'commander';
import { finishInterrupt, Interrupted } from './interrupt.ts';

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;
export const EXIT_USAGE = 2;
/** `check` found a counterexample: the property does not hold */
export const EXIT_PROPERTY_FAILED = 3;

/** A bad argument: `message` says what was wrong and how to fix it, on one line. */
export class UsageError extends Error {
  override readonly name: string = 'UsageError';
}

/** An invalid topology: the loader's message and every issue, one per line. */
export class TopologyFileError extends UsageError {
  override readonly name = 'TopologyFileError';
}

export interface ErrorSink {
  write(text: string): unknown;
}

/** The lines a TopologyError prints: its message, then every issue not already in it. */
export function topologyErrorText(message: string, issues: readonly { path: string; message: string }[]): string {
  const missing = issues.filter((i) => !message.includes(i.message));
  return [message, ...missing.map((i) => `  ${i.path || '(top level)'}: ${i.message}`)].join('\n');
}

/** Prints `err` to `stderr` as described above and returns the exit code. */
export function reportError(err: unknown, stderr: ErrorSink): number {
  if (err instanceof CommanderError) {
    // commander has printed its own one-line message already (see program.ts)
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof Interrupted) return finishInterrupt(err.signal, stderr);
  // a library's input error that no command translated (a topology, an option, a shard): the user's to fix, too;
  // but not the kernel's: the CLI validates everything it hands the kernel, so a KernelInputError is a bug
  if (err instanceof UsageError || (err instanceof StampedeInputError && !(err instanceof KernelInputError))) {
    // a message may quote a file's text (a label, a shard's name): control characters are shown escaped, per line
    stderr.write(`stampede: ${err.message.split('\n').map(safeText).join('\n')}\n`);
    return EXIT_USAGE;
  }
  const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  stderr.write(`stampede: unexpected error (a bug; please report it with the command line):\n${text}\n`);
  return EXIT_UNEXPECTED;
}
