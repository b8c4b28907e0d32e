/**
 * What the page's script needs to draw one chart: the x values (simulated
 * minutes), the series, and the vertical markers. Built on the server side
 * from a run; travels to the page as JSON (see page.ts) and is drawn with
 * uPlot by client-script.ts. Labels are plain text: the page never parses
 * them as markup.
 */

/** What a marker stands for; decides its colour and line style. */
export type MarkerKind = 'trigger' | 'done' | 'rollback' | 'fault' | 'recovered' | 'oracle' | 'response';

export interface Marker {
  /** simulated minutes since the start of the run */
  atMin: number;
  /** a short label drawn beside the line, e.g. "router rollout" */
  label: string;
  /** the longer text of the timeline list, e.g. the topology's label for the event */
  detail: string;
  kind: MarkerKind;
}

export const MARKER_STYLE: Record<MarkerKind, { color: string; dash: boolean }> = {
  trigger: { color: '#d9480f', dash: false },
  done: { color: '#868e96', dash: true },
  rollback: { color: '#7048e8', dash: false },
  fault: { color: '#c92a2a', dash: true },
  recovered: { color: '#2b8a3e', dash: false },
  oracle: { color: '#495057', dash: true },
  /** an incident responder's action: scale, reconfigure, restart, pause or resume, admission control */
  response: { color: '#1971c2', dash: false },
};

export interface ChartSeries {
  label: string;
  /** CSS colour of the line */
  color: string;
  /** one value per x; null where there is no sample */
  values: (number | null)[];
  dash?: boolean;
  /** fill the area under the line */
  fill?: boolean;
}

export interface ChartSpec {
  /** DOM id of the chart's <figure>; unique in the page */
  id: string;
  /** heading above the chart (plain text) */
  title: string;
  /** what is plotted and how, beside the heading (plain text) */
  note?: string;
  /** y axis label with its unit, e.g. "per second" */
  yLabel: string;
  /** x values: simulated minutes, ascending */
  timesMin: number[];
  series: ChartSeries[];
  markers: Marker[];
  /** fixed y range; otherwise 0 to a little above the largest value */
  yRange?: [number, number];
  /** y values are percentages (axis and legend show a % sign) */
  percent?: boolean;
  /** wide: the full width; half: two per row; small: a thumbnail without legend, cursor or marker labels */
  size: 'wide' | 'half' | 'small';
}

/** Colours for series, distinct from the marker colours where it matters. */
export const PALETTE = {
  blue: '#1c64d9',
  orange: '#e8590c',
  red: '#c92a2a',
  green: '#2b8a3e',
  purple: '#862e9c',
  teal: '#0b7285',
  gray: '#868e96',
  brown: '#8d5524',
  yellow: '#e0a800',
} as const;

/** Rounds for the embedded JSON: 4 significant digits is far below what a chart can show. */
export function compact(v: number | undefined): number | null {
  if (v === undefined || !Number.isFinite(v)) return null;
  if (v === 0) return 0;
  return Number(v.toPrecision(4));
}
