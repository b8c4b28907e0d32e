/**
 * The charts of one run: the signals docs/design.md ("The model") names, from the run's
 * recorded series (names as in packages/model/src/platform-state.ts).
 * Counters are cumulative totals, so they are charted as rates per second
 * over a stated window; gauges are charted as sampled.
 */
import type { Series } from '@stampede/kernel';
import type { RunResult } from '@stampede/model';
import { type ChartSeries, type ChartSpec, compact, type Marker, PALETTE } from './chart-spec.ts';
import { fmtPct } from './text.ts';

const MIN = 60_000;

/** The rates' averaging window: one minute smooths the 5 s sampling noise of a few tasks per second. */
const RATE_WINDOW_MS = 60_000;

/** Looks a series up by name; a run always records these (a missing one is a bug in the model or here). */
function byName(series: readonly Series[], name: string): Series {
  const s = series.find((x) => x.name === name);
  if (s === undefined) throw new Error(`run report: the run has no '${name}' series (have: ${series.map((x) => x.name).join(', ')})`);
  return s;
}

/** A counter's rate per second over the trailing `windowMs` (shorter at the start of the run). */
export function ratePerSec(s: Pick<Series, 'timesMs' | 'values'>, windowMs: number): (number | null)[] {
  const out: (number | null)[] = [];
  let j = 0; // first sample inside the window; before it the counter was at values[j - 1] (0 at time 0)
  for (let i = 0; i < s.values.length; i++) {
    const t = s.timesMs[i]!;
    while (s.timesMs[j]! <= t - windowMs) j++;
    const fromT = j === 0 ? 0 : s.timesMs[j - 1]!;
    const fromV = j === 0 ? 0 : s.values[j - 1]!;
    out.push(t > fromT ? compact(((s.values[i]! - fromV) / (t - fromT)) * 1000) : null);
  }
  return out;
}

const gauge = (s: Series) => Array.from(s.values, compact);

/** The run's charts, with ids `${idPrefix}-…`; every chart carries the run's markers. */
export function runCharts(idPrefix: string, result: RunResult, markers: Marker[], recoveredFraction: number): ChartSpec[] {
  const series = result.series;
  const timesMin = Array.from(result.connected.timesMs, (t) => compact(t / MIN) ?? 0);
  const at = (name: string) => byName(series, name);
  const rate = (name: string) => ratePerSec(at(name), RATE_WINDOW_MS);
  const chart = (
    id: string,
    size: ChartSpec['size'],
    title: string,
    note: string,
    yLabel: string,
    lines: ChartSeries[],
    extra: Partial<ChartSpec> = {},
  ): ChartSpec => ({ id: `${idPrefix}-${id}`, size, title, note, yLabel, timesMin, series: lines, markers, ...extra });
  const perSec = 'per second, 1-min average';

  return [
    chart(
      'connected',
      'wide',
      'Connected delegates',
      'share of the fleet holding a socket',
      '% of the fleet',
      [
        {
          label: 'connected delegates',
          color: PALETTE.blue,
          values: Array.from(result.connected.values, (v) => compact(v * 100)),
          fill: true,
        },
        {
          label: `recovered threshold (${fmtPct(recoveredFraction)})`,
          color: PALETTE.green,
          values: timesMin.map(() => compact(recoveredFraction * 100)),
          dash: true,
        },
      ],
      { yRange: [0, 100], percent: true },
    ),
    chart('attempts', 'half', 'Reconnect attempts', perSec, 'per second', [
      { label: 'reconnect attempts/s', color: PALETTE.orange, values: rate('delegates.connect.attempts') },
      { label: 'sockets established/s', color: PALETTE.green, values: rate('delegates.connect.established') },
    ]),
    chart('pending', 'half', 'Pending acquires', 'acquires waiting for an upstream slot, all routers', 'acquires', [
      { label: 'pending acquires', color: PALETTE.purple, values: gauge(at('router.pending')), fill: true },
    ]),
    chart('timeouts', 'half', 'Acquire timeouts and rejections', perSec, 'per second', [
      { label: 'acquire timeouts/s', color: PALETTE.red, values: rate('router.acquire.timeouts') },
      { label: 'overflow rejections/s', color: PALETTE.brown, values: rate('router.acquire.overflow') },
    ]),
    chart('goodput', 'half', 'Goodput', `tasks acquired within the SLA, ${perSec}`, 'tasks per second', [
      { label: 'acquired within the SLA/s (goodput)', color: PALETTE.green, values: rate('tasks.acquired-in-sla') },
      { label: 'issued/s', color: PALETTE.gray, values: rate('tasks.issued'), dash: true },
    ]),
    chart('slots', 'half', 'Router slot occupancy by kind', 'upstream connections, all routers', 'upstream slots', [
      { label: 'websocket', color: PALETTE.blue, values: gauge(at('router.slots.websocket')) },
      { label: 'rest', color: PALETTE.teal, values: gauge(at('router.slots.rest')) },
      { label: 'stale', color: PALETTE.yellow, values: gauge(at('router.slots.stale')) },
      { label: 'abandoned (client gone)', color: PALETTE.red, values: gauge(at('router.slots.abandoned')) },
      { label: 'in setup', color: PALETTE.purple, values: gauge(at('router.slots.in-setup')) },
      { label: 'capacity', color: PALETTE.gray, values: gauge(at('router.slots.capacity')), dash: true },
    ]),
    chart('replicas', 'half', 'Replicas', 'router pods (not terminating), ready routers and managers', 'pods', [
      { label: 'router pods', color: PALETTE.blue, values: gauge(at('router.replicas')) },
      { label: 'routers ready', color: PALETTE.teal, values: gauge(at('router.ready')), dash: true },
      { label: 'managers ready', color: PALETTE.orange, values: gauge(at('manager.ready')) },
    ]),
  ];
}
