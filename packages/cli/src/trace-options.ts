/**
 * `run --trace-window FROM..TO` and `--trace-actors PATTERNS`: what part of a
 * run the Chrome trace keeps. Both are parsed once, before the run, and fail
 * with a one-line message naming the value and the form to use.
 */

import { DEFAULT_MAX_TRACE_EVENTS } from '@stampede/kernel';
import { formatDuration, parseDuration } from '@stampede/model';
import { InvalidArgumentError, Option } from 'commander';
import { UsageError } from './errors.ts';

/** A virtual-time window, both ends inclusive, in ms. */
export interface TraceWindow {
  fromMs: number;
  toMs: number;
}

const WINDOW_FORM = 'FROM..TO with durations as a topology writes them, e.g. 9m..15m, 10m.. (to the end) or ..90s';

/**
 * Parses `FROM..TO` (either end may be left out: from the start, to the end of
 * the run) and checks it against the run's length: a window that starts after
 * the run ends would give an empty trace, so it is refused before the run.
 */
export function parseTraceWindow(text: string, runDurationMs: number): TraceWindow {
  const parts = text.split('..');
  if (parts.length !== 2) throw new UsageError(`--trace-window '${text}': expected ${WINDOW_FORM}`);
  const end = (part: string, fallback: number, which: string): number => {
    if (part.trim() === '') return fallback;
    try {
      return parseDuration(part);
    } catch (err) {
      throw new UsageError(`--trace-window '${text}': ${which} ${(err as Error).message}; expected ${WINDOW_FORM}`);
    }
  };
  const fromMs = end(parts[0]!, 0, 'FROM:');
  const toMs = Math.min(end(parts[1]!, runDurationMs, 'TO:'), runDurationMs);
  if (fromMs >= runDurationMs) {
    throw new UsageError(
      `--trace-window '${text}' starts at ${formatDuration(fromMs)} but the run lasts ${formatDuration(runDurationMs)}; start the window earlier`,
    );
  }
  if (toMs <= fromMs) {
    throw new UsageError(`--trace-window '${text}' is empty: TO must come after FROM, e.g. 9m..15m`);
  }
  return { fromMs, toMs };
}

const PATTERN = /^[A-Za-z0-9_.*?-]+$/;

/**
 * Parses comma-separated actor patterns into a predicate over actor ids. A
 * pattern with `*` (any run of characters) or `?` (one character) is a glob
 * over the whole id: `router-*`, `delegate-1?`. A pattern without them names
 * an id and every id it is a dash-separated prefix of: `manager-r2` keeps
 * `manager-r2-0`, `manager-r2-1`, …; `delegate-1` keeps `delegate-1` but not
 * `delegate-10`.
 */
export function parseActorPatterns(text: string): { patterns: string[]; matches: (id: string) => boolean } {
  const patterns = text.split(',').map((p) => p.trim());
  for (const p of patterns) {
    if (!PATTERN.test(p)) {
      throw new UsageError(
        `--trace-actors '${text}': ${p === '' ? 'an empty pattern' : `pattern '${p}' has characters an actor id never has`}; expected comma-separated ids, prefixes or globs, e.g. router-*,manager-r1,delegate-7`,
      );
    }
  }
  const regexes = patterns.map((p) =>
    /[*?]/.test(p)
      ? new RegExp(`^${p.replaceAll('.', '\\.').replaceAll('*', '.*').replaceAll('?', '.')}$`)
      : new RegExp(`^${p.replaceAll('.', '\\.')}(?:-.*)?$`),
  );
  return { patterns, matches: (id) => regexes.some((r) => r.test(id)) };
}

function parseMaxEvents(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of events, at least 1, e.g. --trace-max-events 2000000.');
  return n;
}

/** The `run` options that shape the trace, with their help. */
export function traceOptions(): Option[] {
  return [
    new Option(
      '--trace <file.json>',
      'also write a Chrome trace-event JSON file for Perfetto (ui.perfetto.dev) or chrome://tracing: actors as tracks, states as slices, messages as flows, in virtual time; the name must end in .json (default: none)',
    ),
    new Option(
      '--trace-window <range>',
      'keep only this stretch of virtual time, FROM..TO, e.g. 9m..15m, 10m.. or ..90s (default: the whole run)',
    ),
    new Option(
      '--trace-actors <ids>',
      'keep only these actors: comma-separated ids, dash-prefixes or globs, e.g. router-*,manager-r1,delegate-1? (default: every actor)',
    ),
    new Option('--trace-max-events <n>', 'stop the trace after this many events, with a warning')
      .argParser(parseMaxEvents)
      .default(DEFAULT_MAX_TRACE_EVENTS, `${DEFAULT_MAX_TRACE_EVENTS.toLocaleString('en-US')}, ~200 MB`),
  ];
}

export const TRACE_HELP = `
Traces: the whole incident (2000 delegates, 75 min, every actor) is 1.1 million events, 107 MB; a window
around the trigger with the routers, managers, controllers and ten delegates is 30 thousand, 2.8 MB:
  stampede run examples/topologies/prod4-incident.yaml --trace out/incident.json --trace-window 9m..15m \\
    --trace-actors 'router-*,manager-*,deploy-*,delegate-1?'
Open the file at https://ui.perfetto.dev ("Open trace file") or chrome://tracing.`;
