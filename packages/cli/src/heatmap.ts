/**
 * A sweep in the terminal: a grid with one cell per combination (rows: the
 * second axis, highest value on top; columns: the first axis; one axis gives
 * one row), each cell a verdict letter and the time to recover from the storm's start (as the scoreboard) on the
 * verdict's colour, the file's own setting in brackets, a legend, and the
 * margin line. Readable without colour: the letters carry the verdict.
 * Under each row, the severity of its cells (lowest connected, peak pending
 * acquires, routers the autoscaler added), so "barely safe" and "safe" differ;
 * after the margin, a note when the safe cells or the boundary sit at the edge
 * of a swept range, with the sweep to run next.
 */
import { axisVary, type SweepResult, type VerdictKind } from '@stampede/check';
import { formatDuration } from '@stampede/model';
import type { Colors } from '@stampede/report';
import { sweepReplayCommand } from './sweep-replay.ts';

export const VERDICT_LETTERS: Record<VerdictKind, string> = { recovered: 'R', slow: 'S', metastable: 'M', overloaded: 'O' };

function paint(colors: Colors, verdict: VerdictKind, text: string): string {
  switch (verdict) {
    case 'recovered':
      return colors.bgGreen(colors.black(text));
    case 'slow':
      return colors.bgYellow(colors.black(text));
    case 'metastable':
      return colors.bgRed(colors.white(text));
    case 'overloaded':
      return colors.bgMagenta(colors.white(text));
  }
}

/** `R 2m45s` for a recovered cell (from the storm's start), `R no storm` when there was none; the letter alone otherwise. */
export function cellText(c: { verdict: VerdictKind; storm: boolean; timeToRecoverFromStormSec: number | null }): string {
  const letter = VERDICT_LETTERS[c.verdict];
  if (c.verdict !== 'recovered') return letter;
  if (!c.storm) return `${letter} no storm`;
  return c.timeToRecoverFromStormSec === null ? letter : `${letter} ${formatDuration(Math.round(c.timeToRecoverFromStormSec) * 1000)}`;
}

/** `42.1% q480 +2r`: lowest connected fraction, peak pending acquires, routers the autoscaler added. */
export function severityText(c: { minConnectedFraction: number; peakPendingAcquires: number; routersAdded: number }): string {
  return `${(c.minConnectedFraction * 100).toFixed(1)}% q${c.peakPendingAcquires} +${c.routersAdded}r`;
}

export function formatHeatmap(result: SweepResult, colors: Colors): string[] {
  const [cols, rows] = result.axes;
  if (cols === undefined) return [];
  const byCoords = new Map(result.cells.map((c) => [c.coords.join(','), c]));
  const own = result.margin.own;
  const marked = own?.inRange ? own.coords.join(',') : undefined;

  const texts = result.cells.map(cellText);
  const severities = result.cells.map(severityText);
  const width = Math.max(...texts.map((t) => t.length), ...severities.map((t) => t.length), ...cols.labels.map((l) => l.length));
  const rowLabels = rows?.labels ?? [''];
  const labelWidth = Math.max(...rowLabels.map((l) => l.length));
  const cell = (coords: number[]) => {
    const c = byCoords.get(coords.join(','))!;
    const body = paint(colors, c.verdict, ` ${cellText(c).padEnd(width)} `);
    return coords.join(',') === marked ? `[${body}]` : ` ${body} `;
  };

  const lines: string[] = [];
  lines.push(
    rows === undefined ? `  ${colors.bold(cols.path)} →` : `  rows: ${colors.bold(rows.path)} ↑   columns: ${colors.bold(cols.path)} →`,
  );
  lines.push(`  ${''.padStart(labelWidth)} │${cols.labels.map((l) => `  ${l.padEnd(width)}  `).join('')}`);
  lines.push(`  ${'─'.repeat(labelWidth)}─┼${'─'.repeat((width + 4) * cols.labels.length)}`);
  for (let r = rowLabels.length - 1; r >= 0; r--) {
    const coordsOf = (c: number) => (rows === undefined ? [c] : [c, r]);
    lines.push(`  ${rowLabels[r]!.padStart(labelWidth)} │${cols.values.map((_, c) => cell(coordsOf(c))).join('')}`);
    const severity = (c: number) => `  ${severityText(byCoords.get(coordsOf(c).join(','))!).padEnd(width)}  `;
    lines.push(`  ${''.padStart(labelWidth)} │${colors.dim(cols.values.map((_, c) => severity(c)).join(''))}`);
  }
  lines.push('');
  const counts = (['recovered', 'slow', 'metastable', 'overloaded'] as const)
    .map((v) => `${VERDICT_LETTERS[v]} ${v}${v === 'recovered' ? " (time to recover from the storm's start)" : ''}: ${result.counts[v]}`)
    .join('   ');
  lines.push(`  ${counts}`);
  lines.push('  under each cell: lowest connected, q peak pending acquires, +r routers the autoscaler added');
  lines.push(
    `  unsafe: ${result.unsafeVerdicts.join(' and ')} (the fleet does not come back by itself; slow is still recovering at the deadline)`,
  );
  const ownText = result.axes.map((a) =>
    a.own === null ? `${a.path} not a number in the file` : `${a.path} ${a.own.label}${a.own.from === 'default' ? ' (default)' : ''}`,
  );
  if (own?.inRange)
    lines.push(`  [ ] ${own.onGrid ? "the file's own setting" : "the cell nearest the file's own setting"}: ${ownText.join(', ')}`);
  else lines.push(`  the file's own setting: ${ownText.join(', ')}${own === null ? '' : ' (outside the swept range)'}`);
  const summary = result.margin.summary;
  const tone = result.margin.status === 'own-unsafe' ? colors.red : result.margin.status === 'margin' ? colors.yellow : colors.green;
  lines.push(`  ${tone(summary.charAt(0).toUpperCase() + summary.slice(1))}`);
  for (const edge of result.edges) {
    lines.push(`  ${colors.yellow(`Edge of the range: ${edge.summary}`)}`);
    if (edge.vary !== axisVary(result.axes[edge.axis]!)) lines.push(`    try: ${sweepReplayCommand(result, edge)}`);
  }
  return lines.map((l) => l.trimEnd());
}
