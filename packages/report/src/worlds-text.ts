/**
 * `stampede demo --worlds FILE` in a terminal: what calibration kept (which
 * observations held where, which assumption values they rule out), then the
 * robust scoreboard, one row per action: helps in k of n consistent worlds,
 * and for an action whose outcome flips, the assumption that flips it with
 * the outcome under each of its values. Every string that came from a file is
 * printed through `safeText`.
 */
import type { RobustRow, WorldsResult } from '@stampede/check';
import Table from 'cli-table3';
import { type Colors, plain } from './colors.ts';
import { safeText } from './safe-text.ts';
import { plural } from './text.ts';

/** `decided by autoscaler-metric: cpu → helps in 0 of 4, poolUtilization → 4 of 4`. */
export function flipText(row: RobustRow): string {
  const f = row.flip;
  if (f === undefined) return '';
  const values = f.byValue.map((v) => `${safeText(v.label)} → ${v.helps} of ${v.worlds}`).join(', ');
  return `${f.decides ? 'decided by' : 'flips with'} ${safeText(f.assumption)} (${safeText(f.path)}): ${values}${f.decides ? '' : ` (${f.flippedPairs} of ${f.pairs} world pairs differing only there)`}`;
}

/** `robust: helps` / `robust: does not help` / the flip. */
export function findingText(row: RobustRow, colors: Colors = plain): string {
  if (row.isIncident) {
    if (row.finding === 'robust-fails') return colors.red('metastable in every consistent world');
    if (row.finding === 'robust-helps')
      return colors.yellow('recovers by itself in every consistent world: the observations say it should not');
  }
  if (row.finding === 'robust-helps') return colors.green('robust: helps');
  if (row.finding === 'robust-fails') return colors.red('robust: does not help');
  if (row.finding === 'none') return 'no consistent world';
  if (row.flip !== undefined) return colors.yellow(flipText(row));
  if (row.helps === 0 && row.fails === 0) return colors.yellow('mixed in every world: the seed decides, not the assumptions');
  return colors.yellow('differs between consistent worlds that differ in several assumptions at once: no single one flips it');
}

function helpsText(row: RobustRow): string {
  const n = row.cells.length;
  const mixed = row.mixed > 0 ? ` (${row.mixed} mixed)` : '';
  return row.isIncident ? `recovers in ${row.helps} of ${n}${mixed}` : `${row.helps} of ${n}${mixed}`;
}

/** The whole text: header, calibration, scoreboard. */
export function formatWorlds(result: WorldsResult, colors: Colors = plain): string[] {
  const { calibration, scoreboard } = result;
  const out: string[] = [];
  const total = result.worlds.length;
  const consistent = calibration.consistent.length;
  const partly = calibration.worlds.filter((w) => w.partly).length;

  out.push(
    colors.bold('calibration'),
    `  observed in the incident (each checked in every world, on every seed ${result.seeds.join(', ')}):`,
  );
  result.observations.forEach((o, i) => {
    const holds = calibration.worlds.filter((w) => w.observations[i]!.failedOn.length === 0).length;
    out.push(`    ${safeText(o.name)}: ${safeText(o.run)}, ${safeText(o.check)}; holds in ${holds} of ${plural(total, 'world')}`);
  });
  out.push(
    `  ${colors.bold(`consistent worlds: ${consistent} of ${total}`)}` +
      `${partly > 0 ? ` (${plural(partly, 'more world')} reproduce the observations on some seeds only: left out)` : ''}`,
  );
  const pinned = calibration.assumptions.filter((a) => a.status === 'pinned');
  const open = calibration.assumptions.filter((a) => a.status === 'open');
  if (pinned.length > 0) {
    out.push('  pinned down by the observations:');
    for (const a of pinned) {
      const kept = a.values.find((v) => v.consistent > 0)!;
      const ruled = a.values
        .filter((v) => v.consistent === 0)
        .map((v) => `${safeText(v.label)} ruled out by "${safeText(v.ruledOutBy ?? '')}"`)
        .join('; ');
      out.push(`    ${safeText(a.name)} = ${safeText(kept.label)} (${ruled})`);
    }
  }
  if (open.length > 0) {
    out.push('  left open (consistent worlds with each value):');
    for (const a of open) {
      const values = a.values.map(
        (v) => `${safeText(v.label)} ${v.consistent}${v.ruledOutBy ? ` (ruled out by "${safeText(v.ruledOutBy)}")` : ''}`,
      );
      out.push(`    ${safeText(a.name)}: ${values.join(', ')}`);
    }
  }
  if (consistent === 0) {
    out.push(
      colors.yellow(
        '  no world reproduces every observation: the model, the assumptions or the observations are wrong; the worlds closest to them:',
      ),
    );
    const closest = [...calibration.worlds]
      .map((w) => ({ w, failing: w.observations.filter((o) => o.failedOn.length > 0) }))
      .sort((a, b) => a.failing.length - b.failing.length)
      .slice(0, 3);
    for (const { w, failing } of closest)
      out.push(
        `    ${w.world.id} (${safeText(w.description)}): ${failing.map((o) => `${safeText(o.name)}: ${safeText(o.detail)}`).join('; ')}`,
      );
    return out;
  }

  out.push(
    '',
    colors.bold('robust scoreboard'),
    `  the oracle's verdict (manual rollbacks left out) in ${consistent === 1 ? 'the consistent world' : `each of the ${consistent} consistent worlds`}, on every seed; an action helps in a world when the platform comes back by itself (recovered or slow) on every seed`,
  );
  const table = new Table({
    head: ['action', 'helps in', 'finding'],
    style: { head: [], border: [], compact: true },
    wordWrap: true,
    colWidths: [28, 22, 72],
  });
  for (const row of scoreboard.rows)
    table.push([row.isIncident ? `${safeText(row.name)} (no action)` : safeText(row.name), helpsText(row), findingText(row, colors)]);
  out.push(...table.toString().split('\n'));
  out.push(
    '',
    '  consistent worlds:',
    ...scoreboard.worlds.map((w) => `    ${result.worlds[w]!.id}: ${safeText(result.worlds[w]!.description)}`),
  );
  return out;
}
