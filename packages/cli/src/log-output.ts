/**
 * `run --log-level LEVEL`: where the simulation's pino logs go. Always
 * standard error, so `--json` keeps standard output to one JSON object:
 * NDJSON (one JSON object per line, stamped `"timeMs"` with virtual time)
 * when standard error is a pipe or a file, and pino-pretty lines led by the
 * virtual time when it is a terminal.
 *
 * Both are synchronous: the simulation runs without yielding to the event
 * loop, so an asynchronous stream would hold every line in memory until the
 * run ends. pino-pretty is used through `prettyFactory` (line in, text out)
 * for that reason, not as its transform stream.
 */
import type { LoggingOptions, LogLevel } from '@stampede/kernel';
import { Option } from 'commander';
import pc from 'picocolors';
import pretty from 'pino-pretty';

/** pino's levels, most to least severe, and `silent` (the default: no logs). */
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LogStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Virtual ms as `mm:ss.mmm` (minutes beyond 59 keep counting: `75:00.000`). */
export function formatVirtualTime(ms: number): string {
  const whole = Math.round(ms);
  const min = Math.floor(whole / 60_000);
  const sec = Math.floor((whole % 60_000) / 1000);
  return `${String(min).padStart(2, '0')}:${String(sec).padStart(2, '0')}.${String(whole % 1000).padStart(3, '0')}`;
}

/**
 * Logging options for `runPlatform`: `level` written to `stream`, pretty when
 * `prettyPrint` (by default: when the stream is a terminal), coloured when
 * `colorize` (by default: when pretty and colours are on; NO_COLOR turns them off).
 */
export function logOutput(
  level: LogLevel,
  stream: LogStream,
  prettyPrint = stream.isTTY === true,
  colorize = prettyPrint && pc.isColorSupported,
): LoggingOptions | undefined {
  if (level === 'silent') return undefined;
  if (!prettyPrint) return { level, destination: { write: (line: string) => stream.write(line) } };
  const format = pretty.prettyFactory({
    colorize,
    translateTime: false,
    timestampKey: 'timeMs',
    customPrettifiers: { time: (t) => `[${formatVirtualTime(Number(t))}]` },
    messageFormat: '{if actor}{actor}: {end}{msg}',
    ignore: 'actor',
    singleLine: true,
  });
  return { level, destination: { write: (line: string) => stream.write(format(line)) } };
}

/** The `run --log-level` option: commander refuses any other value and lists these. */
export function logLevelOption(): Option {
  return new Option(
    '--log-level <level>',
    "the simulation's logs on stderr, stamped with virtual time (timeMs): NDJSON, or pretty lines on a terminal; info: rollouts, pods, timeline; debug: every state change and dropped message; trace: every message",
  )
    .choices(LOG_LEVELS)
    .default('silent');
}
