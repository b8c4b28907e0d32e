/**
 * `run --trace FILE.json [--trace-window FROM..TO] [--trace-actors PATTERNS]
 * [--trace-max-events N]`: the Chrome trace of one platform run, from the
 * checks before the run to the line that says what was written.
 */

import { type ChromeTraceRecorder, type ChromeTraceStats, DEFAULT_MAX_TRACE_EVENTS, recordChromeTrace } from '@stampede/kernel';
import type { Platform, PlatformParams } from '@stampede/model';
import { formatDuration } from '@stampede/model';
import { UsageError } from './errors.ts';
import { openTraceFile, type TraceFile } from './trace-file.ts';
import { parseActorPatterns, parseTraceWindow, type TraceWindow } from './trace-options.ts';

export interface TraceRequest {
  /** the .json file to write */
  trace?: string | undefined;
  /** FROM..TO, e.g. 9m..15m. @defaultValue the whole run */
  traceWindow?: string | undefined;
  /** comma-separated ids, prefixes or globs. @defaultValue every actor */
  traceActors?: string | undefined;
  /** @defaultValue DEFAULT_MAX_TRACE_EVENTS */
  traceMaxEvents?: number | undefined;
}

export interface TraceWritten extends ChromeTraceStats {
  path: string;
  bytes: number;
  window: TraceWindow;
  actors: string;
  maxEvents: number;
}

export interface RunTrace {
  /** `runPlatform`'s `onBuild`: starts recording before the first event. */
  attach(platform: Platform): void;
  /** After the run: closes the trace and renames it into place (or removes it, if that fails). */
  commit(): TraceWritten;
  /** The run failed: remove the temporary file. */
  abort(): void;
}

/** The tracks of the platform's actors, grouped as an SRE names them (a Perfetto "process" per group). */
export function platformGroup(id: string): string {
  if (id.startsWith('delegate-')) return 'delegates';
  if (id.startsWith('router-')) return 'routers';
  if (id.startsWith('manager-')) return 'managers';
  if (id.startsWith('deploy-') || id === 'autoscaler') return 'controllers';
  return id; // workload, timeline
}

/**
 * Checks every trace option and opens the temporary file: a bad option or an
 * unwritable path fails here, before the run. Returns undefined without --trace.
 */
export function prepareRunTrace(req: TraceRequest, params: PlatformParams, meta: { topology: string; seed: number }): RunTrace | undefined {
  if (req.trace === undefined) {
    const stray = req.traceWindow !== undefined ? '--trace-window' : req.traceActors !== undefined ? '--trace-actors' : undefined;
    if (stray !== undefined) throw new UsageError(`${stray} shapes the trace file: add --trace FILE.json, e.g. --trace out/incident.json`);
    return undefined;
  }
  const window =
    req.traceWindow === undefined ? { fromMs: 0, toMs: params.durationMs } : parseTraceWindow(req.traceWindow, params.durationMs);
  const actors = req.traceActors === undefined ? undefined : parseActorPatterns(req.traceActors);
  const maxEvents = req.traceMaxEvents ?? DEFAULT_MAX_TRACE_EVENTS;
  const path = req.trace;
  const file: TraceFile = openTraceFile(path);
  let recorder: ChromeTraceRecorder | undefined;
  let platform: Platform | undefined;
  return {
    attach(built) {
      platform = built;
      recorder = recordChromeTrace(built.sim, file.write, {
        fromMs: window.fromMs,
        toMs: window.toMs,
        ...(actors ? { keepActor: actors.matches } : {}),
        groupOf: platformGroup,
        maxEvents,
      });
    },
    commit() {
      if (recorder === undefined || platform === undefined) {
        file.abort();
        throw new Error('prepareRunTrace: commit before attach (pass attach as runPlatform’s onBuild)');
      }
      const stats = recorder.finish(platform.sim.now, platform.log());
      const actorsText = actors?.patterns.join(',') ?? '*';
      // strings only, as the format's metadata dictionary; no wall-clock value, so the same seed gives the same bytes
      let bytes: number;
      try {
        bytes = file.commit({
          generator: 'stampede run --trace',
          topology: meta.topology,
          seed: String(meta.seed),
          window: `${formatDuration(window.fromMs)}..${formatDuration(window.toMs)}`,
          actors: actorsText,
          timestamps: 'virtual time, microseconds',
          ...(stats.truncatedAtMs === undefined ? {} : { truncatedAt: formatDuration(Math.round(stats.truncatedAtMs)) }),
        });
      } catch (err) {
        file.abort();
        throw err;
      }
      return { ...stats, path, bytes, window, actors: actorsText, maxEvents };
    },
    abort: () => file.abort(),
  };
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** What was written, and warnings for a trace that was cut short or kept no actor. */
export function describeTrace(t: TraceWritten): { info: string; warnings: string[] } {
  const window = `${formatDuration(t.window.fromMs)}..${formatDuration(t.window.toMs)}`;
  const info = `wrote ${t.path}: ${t.events.toLocaleString('en-US')} trace events, ${t.tracks.toLocaleString('en-US')} actor tracks, ${megabytes(t.bytes)} (window ${window}, actors ${t.actors}); open it at https://ui.perfetto.dev`;
  const warnings: string[] = [];
  if (t.truncatedAtMs !== undefined) {
    warnings.push(
      `stampede: warning: the trace stopped at ${formatDuration(Math.round(t.truncatedAtMs))} of virtual time after ${t.maxEvents.toLocaleString('en-US')} events (--trace-max-events); narrow it with --trace-window (e.g. 9m..15m) or --trace-actors (e.g. router-*,manager-*,delegate-1?) to see the rest`,
    );
  }
  if (t.tracks === 0) {
    warnings.push(
      t.actors === '*'
        ? `stampede: warning: the trace has no actor track: no actor had events in the window ${formatDuration(t.window.fromMs)}..${formatDuration(t.window.toMs)}`
        : `stampede: warning: the trace has no actor track: --trace-actors '${t.actors}' matched no actor with events in the window`,
    );
  }
  return { info, warnings };
}
