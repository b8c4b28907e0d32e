/**
 * `stampede whatif` in a terminal: one row for the run as written and one per
 * tried action: the oracle's verdict on the branch (does the storm end by
 * itself after the action?), how long after the action, and the impact
 * avoided against the run as written; then, when asked, the latest minute at
 * which an action still works, with every minute the search tried.
 */
import type { BranchResult, WhatifResult } from '@stampede/check';
import Table from 'cli-table3';
import { type Colors, plain } from './colors.ts';
import { safeText } from './safe-text.ts';
import { fmtClock, fmtDuration, fmtPct } from './text.ts';

/** `recovered`, `metastable (abandoned-acquires)`. */
export function branchVerdict(r: BranchResult): string {
  return r.verdict === 'recovered' ? 'recovered' : `${r.verdict} (${r.dominantLoop})`;
}

function afterText(r: BranchResult): string {
  if (r.afterActionSec === null) return r.verdict === 'recovered' ? '—' : 'does not end';
  return r.afterActionSec === 0 ? 'before the action' : fmtDuration(r.afterActionSec);
}

const signed = (n: number) => (n > 0 ? `${n}` : n === 0 ? '0' : `${n}`);

export function formatWhatif(result: WhatifResult, colors: Colors = plain): string[] {
  const out: string[] = [];
  if (result.atMs !== null) {
    const table = new Table({
      head: [
        'branch',
        'verdict (oracle)',
        'storm ends\nafter the action',
        'lowest\nconnected',
        'pipelines\nunblocked',
        'secret fails\navoided',
        'API errors\navoided',
      ],
      style: { head: [], border: [], compact: true },
    });
    const colour = (r: BranchResult, text: string) =>
      r.verdict === 'recovered' ? colors.green(text) : r.verdict === 'slow' ? colors.yellow(text) : colors.red(text);
    const w = result.asWritten;
    table.push([
      'as written (no action)',
      colour(w, branchVerdict(w)),
      w.verdict === 'recovered' ? 'by itself' : 'not by itself',
      w.run === undefined ? '' : fmtPct(w.run.minConnectedFraction),
      '—',
      '—',
      '—',
    ]);
    for (const b of result.branches) {
      const r = b.result;
      table.push([
        safeText(b.action),
        colour(r, branchVerdict(r)),
        afterText(r),
        r.run === undefined ? '' : fmtPct(r.run.minConnectedFraction),
        signed(b.impactAvoided.blockedPipelines),
        signed(b.impactAvoided.failedSecretResolutions),
        signed(b.impactAvoided.apiErrors),
      ]);
    }
    out.push(
      colors.bold(`branches at ${fmtClock(result.atMs)}`) +
        ': each the run as written with the action added at that minute (same seed, same storm until then); the verdict leaves out the file’s own manual rollbacks (a tried rollback stays); impact avoided is against the run as written, manual rollback included',
      ...table.toString().split('\n'),
      ...result.branches
        .filter((b) => b.dropped.length > 0)
        .map(
          (b) =>
            `  ${safeText(b.action)}: the file's ${b.dropped.map(safeText).join(', ')} is left out of this branch (after the tried action it would roll back to the wrong revision)`,
        ),
    );
  }
  const l = result.latest;
  if (l !== null) {
    const within = fmtDuration(l.withinMs / 1000);
    const head = l.notMonotone
      ? colors.yellow(
          `${safeText(l.action)} is not monotone in time: taken at ${fmtClock(l.probes[0]!.atMs)} it does not bring the fleet back within ${within}, taken at ${fmtClock(l.probes[l.probes.length - 1]!.atMs)} it does; bisection cannot answer (try --at with several minutes)`,
        )
      : l.latestMs === null
        ? colors.red(`${safeText(l.action)} does not bring the fleet back within ${within} even at ${fmtClock(l.probes[0]!.atMs)}`)
        : l.firstTooLateMs === null
          ? colors.green(
              `${safeText(l.action)} still brings the fleet back within ${within} at ${fmtClock(l.latestMs)}, the latest minute searched`,
            )
          : `${colors.bold(`latest: ${fmtClock(l.latestMs)}`)}: ${safeText(l.action)} brings the fleet back within ${within} when taken at ${fmtClock(l.latestMs)}, not at ${fmtClock(l.firstTooLateMs)}`;
    out.push(
      '',
      head,
      `  tried (bisection; assumes acting earlier never does worse): ${l.probes.map((p) => `${fmtClock(p.atMs)} ${p.ok ? 'yes' : 'no'} (${safeText(p.outcome)})`).join('; ')}`,
    );
    if (l.latestMs !== null && l.firstTooLateMs === null)
      out.push(`  the search ends at the run's end minus ${within}: lengthen the topology's duration to search later`);
  }
  out.push(
    '',
    colors.dim(
      result.branching.mode === 'forked'
        ? 'every branch is forked from one run of the minutes before its action (per worker thread); a branch is exactly the run from scratch with the action in its timeline'
        : `every branch re-ran the minutes before its action: ${safeText(result.branching.reason ?? '')}; a branch is exactly the run from scratch with the action in its timeline`,
    ),
  );
  return out;
}
