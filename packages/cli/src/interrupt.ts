/**
 * Ctrl-C (SIGINT) and SIGTERM: a command stops, removes its temporary files,
 * says in one line what it removed and what it kept, and exits 130 or 143
 * (128 + the signal number, as a shell reports a process a signal ended).
 *
 * Two ways a signal reaches the command. Between awaits (`check` and `sweep`
 * wait on worker threads) the process's own handler runs at once: it cleans
 * up and exits, which also ends the worker threads. A simulation in `run`
 * is synchronous, so the handler cannot run until it ends; the launcher
 * (bin/stampede.js) therefore also writes the signal's name to a pipe
 * (STAMPEDE_SIGNAL_FD), a small watcher thread sets a shared flag, and the
 * run's progress callback checks it (`throwIfInterrupted`) between chunks of
 * simulated time and throws `Interrupted`, which unwinds through the
 * command's own cleanup (the trace's temporary file) to `reportError`.
 * Started without the launcher, a run sees the signal when its simulation
 * ends, and still cleans up and exits 130/143.
 */
import { rmSync } from 'node:fs';
import { constants } from 'node:os';
import { Worker } from 'node:worker_threads';

export type InterruptSignal = 'SIGINT' | 'SIGTERM';
export const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

/** The launcher's pipe that carries signal names (see bin/stampede.js). */
export const SIGNAL_FD_ENV = 'STAMPEDE_SIGNAL_FD';

/** 130 for SIGINT, 143 for SIGTERM. */
export const exitCodeOf = (signal: InterruptSignal): number => 128 + constants.signals[signal];

/** Thrown from inside synchronous work (a simulation's progress callback) when a signal arrived. */
export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(readonly signal: InterruptSignal) {
    super(`interrupted by ${signal}`);
  }
}

interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
}

// the flag the watcher thread sets: 0, or the signal's number
const flag = new Int32Array(new SharedArrayBuffer(4));
const temps = new Map<string, string>();
const removed: string[] = [];
const kept: string[] = [];
let command = 'stampede';
let finished: number | undefined;
let note: (() => string | undefined) | undefined;
let out: { stderr: Sink; stdout: Sink } | undefined;

/** A temporary file to remove if the command is interrupted; `what` names it in the message ("the unfinished trace"). */
export function registerTemp(path: string, what: string): { remove(): void; release(): void } {
  temps.set(path, what);
  return {
    /** removes the file now (a failed or interrupted command) */
    remove() {
      temps.delete(path);
      rmSync(path, { force: true });
      removed.push(`${what} ${path}`);
    },
    /** the file was renamed into place or removed otherwise: nothing to clean up */
    release() {
      temps.delete(path);
    },
  };
}

/** A finished output file: named as kept if the command is interrupted afterwards. */
export function noteKept(path: string): void {
  kept.push(path);
}

/** Extra words for the interrupt line, e.g. "after 3 of 10 cells". */
export function setInterruptNote(fn: (() => string | undefined) | undefined): void {
  note = fn;
}

/** Throws `Interrupted` when the launcher reported a signal since the command started (cheap: one atomic load). */
export function throwIfInterrupted(): void {
  const n = Atomics.load(flag, 0);
  if (n !== 0) throw new Interrupted(n === constants.signals.SIGTERM ? 'SIGTERM' : 'SIGINT');
}

/**
 * Lets a signal that arrived during synchronous work reach its handler (which cleans up and exits): call it right
 * after a simulation ends, before anything is written. Without the launcher's pipe this is where a run started
 * directly (node main.ts) notices Ctrl-C.
 */
export async function deliverSignals(): Promise<void> {
  // libuv reads the signal on a later turn of the event loop than the first: give it a few (microseconds each)
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  throwIfInterrupted();
}

/** The one line that says what an interrupt removed and kept. */
export function interruptLine(signal: InterruptSignal): string {
  const extra = note?.();
  const parts = [
    `${command}: interrupted by ${signal}${extra ? ` ${extra}` : ''}`,
    removed.length > 0 ? `removed ${removed.join(', ')}` : 'no temporary file left',
    kept.length > 0 ? `kept ${kept.join(', ')}` : 'nothing written',
  ];
  return parts.join('; ');
}

/**
 * Removes every registered temporary file and prints the interrupt line once; returns the exit code. A second call
 * (the process's own handler after the launcher's pipe) only returns the code.
 */
export function finishInterrupt(signal: InterruptSignal, stderr: Sink | undefined = out?.stderr): number {
  if (finished !== undefined) return finished;
  for (const [path, what] of [...temps]) {
    temps.delete(path);
    try {
      rmSync(path, { force: true });
      removed.push(`${what} ${path}`);
    } catch {
      // nothing more to do while exiting
    }
  }
  if (out?.stdout.isTTY === true) out.stdout.write('\r\x1b[2K\x1b[?25h'); // a progress bar hid the cursor
  stderr?.write(`${interruptLine(signal)}\n`);
  finished = exitCodeOf(signal);
  return finished;
}

/**
 * Installs the handlers (main.ts, once): `name` is the command as the message names it, e.g. "stampede run". Starts
 * the watcher thread when the launcher passed its pipe.
 */
export function installInterrupts(name: string, io: { stderr: Sink; stdout: Sink }): void {
  command = name;
  out = io;
  for (const signal of INTERRUPT_SIGNALS) {
    process.on(signal, () => {
      // between awaits: clean up and stop now, worker threads and all
      process.exit(finishInterrupt(signal));
    });
  }
  const fd = Number(process.env[SIGNAL_FD_ENV]);
  if (Number.isSafeInteger(fd) && fd > 2) {
    const watcher = new Worker(WATCHER, { eval: true, workerData: { fd, flag: flag.buffer }, execArgv: [], stdout: false, stderr: false });
    watcher.on('error', () => {}); // a missing pipe only costs the prompt interrupt of a simulation
    watcher.unref();
  }
}

// the watcher thread: plain JavaScript (no tsx to load), reads signal names from the launcher's pipe
const WATCHER = `
const { workerData } = require('node:worker_threads');
const net = require('node:net');
const flag = new Int32Array(workerData.flag);
const numbers = { SIGINT: 2, SIGTERM: 15 };
const pipe = new net.Socket({ fd: workerData.fd, readable: true, writable: false });
pipe.on('error', () => {});
pipe.on('data', (chunk) => {
  for (const name of String(chunk).split('\\n')) {
    const n = numbers[name.trim()];
    if (n !== undefined && Atomics.load(flag, 0) === 0) Atomics.store(flag, 0, n);
  }
});
`;
