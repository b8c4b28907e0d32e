/**
 * `run --out DIR`: the recorded series as CSV (first column time_s, one
 * column per series) and JSON, and the summary as JSON. Each file is written
 * to a temporary name and renamed into place, so a failed run never leaves a
 * half-written file behind.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Series } from '@stampede/kernel';
import writeFileAtomic from 'write-file-atomic';
import { UsageError } from './errors.ts';
import type { SummaryJson } from './summary-json.ts';

/** The derived connected fraction, exported next to the recorded series. */
export const CONNECTED_FRACTION_COLUMN = 'connected.fraction';

export interface ConnectedSamples {
  timesMs: ArrayLike<number>;
  values: ArrayLike<number>;
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const csvNumber = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : String(v));

/** Columns in order: every series by name, then the connected fraction (when given). */
function columnsOf(series: readonly Series[], connected?: ConnectedSamples): ({ name: string } & ConnectedSamples)[] {
  const cols: ({ name: string } & ConnectedSamples)[] = series.map((s) => ({ name: s.name, timesMs: s.timesMs, values: s.values }));
  if (connected !== undefined) cols.push({ name: CONNECTED_FRACTION_COLUMN, ...connected });
  return cols;
}

/**
 * CSV with a header row `time_s,<name>,…` and one row per sample time (the
 * union of all series' times, ascending); a series without a sample at a time,
 * or with a non-finite value, leaves its cell empty.
 */
export function seriesToCsv(series: readonly Series[], connected?: ConnectedSamples): string {
  const cols = columnsOf(series, connected);
  const times = [...new Set(cols.flatMap((c) => Array.from(c.timesMs)))].sort((a, b) => a - b);
  const rowOf = new Map(times.map((t, i) => [t, i]));
  const cells = times.map((t) => {
    const row = new Array<string>(cols.length + 1).fill('');
    row[0] = String(t / 1000);
    return row;
  });
  cols.forEach((c, j) => {
    for (let i = 0; i < c.timesMs.length; i++) cells[rowOf.get(c.timesMs[i]!)!]![j + 1] = csvNumber(c.values[i]);
  });
  const header = ['time_s', ...cols.map((c) => c.name)].map(csvField).join(',');
  return `${[header, ...cells.map((r) => r.join(','))].join('\n')}\n`;
}

const jsonNumber = (v: number) => (Number.isFinite(v) ? v : null);

/** The series as JSON: name, kind, interval and parallel arrays of times (s) and values (null for non-finite). */
export function seriesToJson(series: readonly Series[], connected?: ConnectedSamples) {
  return {
    series: [
      ...series.map((s) => ({
        name: s.name,
        kind: s.kind,
        intervalMs: s.intervalMs,
        timesSec: Array.from(s.timesMs, (t) => t / 1000),
        values: Array.from(s.values, jsonNumber),
      })),
      ...(connected === undefined
        ? []
        : [
            {
              name: CONNECTED_FRACTION_COLUMN,
              kind: 'derived' as const,
              intervalMs: series[0]?.intervalMs ?? null,
              timesSec: Array.from(connected.timesMs, (t) => t / 1000),
              values: Array.from(connected.values, jsonNumber),
            },
          ]),
    ],
  };
}

/**
 * Creates `dir` (and parents) and checks that files can be written in it, or
 * throws a UsageError saying why not: called before long work, so hours of
 * results are never lost to a read-only directory at the end.
 */
export function prepareOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot create the --out directory '${dir}': ${e.code ?? e.message}; pass a writable directory path`);
  }
}

export const OUT_FILES = ['series.csv', 'series.json', 'summary.json'] as const;

/** Writes series.csv, series.json and summary.json into `dir` (created if needed); returns their paths. */
export async function writeRunOutputs(
  dir: string,
  run: { series: readonly Series[]; connected: ConnectedSamples; summary: SummaryJson },
): Promise<string[]> {
  prepareOutDir(dir);
  const contents: Record<(typeof OUT_FILES)[number], string> = {
    'series.csv': seriesToCsv(run.series, run.connected),
    'series.json': `${JSON.stringify({ seed: run.summary.seed, name: run.summary.name, ...seriesToJson(run.series, run.connected) })}\n`,
    'summary.json': `${JSON.stringify(run.summary, null, 2)}\n`,
  };
  const paths: string[] = [];
  for (const name of OUT_FILES) {
    const path = join(dir, name);
    await writeFileAtomic(path, contents[name]);
    paths.push(path);
  }
  return paths;
}
