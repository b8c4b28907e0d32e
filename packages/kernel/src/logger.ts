/**
 * pino on virtual time.
 *
 * Silent by default: a filtered-out level costs nothing, and a log line per
 * event would cut throughput to a quarter. Timestamps come from the virtual
 * clock (`"timeMs"`), never from the wall clock, so logs line up with traces.
 */
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { KernelInputError } from './errors.ts';

export type LogLevel = Level | 'silent';
export type { Logger };

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LoggingOptions {
  /** pino level. @defaultValue 'silent' */
  level?: LogLevel;
  /** Where lines go. @defaultValue standard output */
  destination?: DestinationStream;
}

export function createLogger(nowMs: () => number, options: LoggingOptions = {}): Logger {
  const level = options.level ?? 'silent';
  if (!LEVELS.includes(level)) {
    throw new KernelInputError('createSimulation', 'logging.level', level, `one of ${LEVELS.join(', ')}`);
  }
  return pino(
    {
      level,
      base: undefined,
      // replaces pino's wall-clock "time" field; virtual times are fractional ms (sampled latencies):
      // a microsecond is finer than anything the model resolves, and a line stays readable
      timestamp: () => `,"timeMs":${Math.round(nowMs() * 1000) / 1000}`,
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}
