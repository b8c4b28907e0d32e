/**
 * The mitigation scoreboard: one row per scenario of `stampede demo`. The
 * verdict is the oracle's (@stampede/check): the scenario judged without its
 * manual rollback, so "recovered" means by itself. The impact columns come
 * from the run as written, manual rollback included: what the incident cost.
 * `recoveredByItself` is a cheaper rule on one run as written (did it
 * recover before the manual rollback?); `stampede run` prints the oracle's
 * verdict first, as this table does.
 */
import type { EngineName } from '@stampede/kernel';
import type { RunSummary } from '@stampede/model';
import Table from 'cli-table3';
import { type Colors, plain } from './colors.ts';
import { safeText } from './safe-text.ts';
import { fmtClock, fmtPct, fmtTimeToRecover, replayCommand } from './text.ts';

export type ScenarioOutcome =
  | { file: string; ok: true; summary: RunSummary; rollbackAtMs: number | undefined; verdict: ScenarioVerdict }
  | { file: string; ok: false; kind: 'usage' | 'topology' | 'unexpected'; text: string };

/** The oracle's verdict, as much of it as the table shows. */
export interface ScenarioVerdict {
  verdict: 'recovered' | 'slow' | 'metastable' | 'overloaded';
  dominantLoop: string;
  /** from the trigger; undefined when not recovered */
  timeToRecoverSec: number | undefined;
  /** whether the judged run had a storm (connected below STORM_CONNECTED_FRACTION_BELOW) */
  storm: boolean;
  /** from the storm's start: the table's "time to recover" */
  timeToRecoverFromStormSec: number | undefined;
}

export interface ByItself {
  yes: boolean;
  text: string;
}

export function recoveredByItself(s: RunSummary, rollbackAtMs: number | undefined): ByItself {
  if (s.stormStartMs === undefined) return { yes: true, text: 'yes (no storm)' };
  const relapse = s.recovered ? '' : ', relapsed';
  if (rollbackAtMs === undefined) return s.recovered ? { yes: true, text: 'yes' } : { yes: false, text: 'no (never recovered)' };
  if (s.firstRecoveredAtMs !== undefined && s.firstRecoveredAtMs < rollbackAtMs) return { yes: true, text: `yes${relapse}` };
  return { yes: false, text: s.recovered ? `no (rollback ${fmtClock(rollbackAtMs)})` : 'no (never recovered)' };
}

/** Column heads; two lines each to keep the table within a terminal's width. */
export const SCOREBOARD_HEAD = [
  'scenario',
  'verdict (oracle, no\nmanual rollback)',
  'time to recover\n(from storm)',
  'lowest\nconnected',
  'blocked\npipelines',
  'failed secret\nresolutions',
  'API\nerrors',
  'trace hash',
];

const scenarioName = (file: string) => safeText(file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, ''));

/** One row of cells per outcome (plain strings, colour applied by the caller). */
export function scoreboardRow(o: ScenarioOutcome, colors: Colors = plain): string[] {
  if (!o.ok) return [scenarioName(o.file), colors.red(`error (${o.kind})`), '—', '—', '—', '—', '—', '—'];
  const s = o.summary;
  const v = o.verdict;
  const verdictText = v.verdict === 'metastable' ? `metastable (${v.dominantLoop})` : v.verdict;
  return [
    scenarioName(o.file),
    v.verdict === 'recovered' ? colors.green(verdictText) : colors.red(verdictText),
    fmtTimeToRecover(v),
    fmtPct(s.minConnectedFraction),
    String(s.impact.blockedPipelines),
    String(s.impact.failedSecretResolutions),
    String(s.impact.apiErrors),
    s.traceHash,
  ];
}

/** The table, the errors of failed scenarios, and one replay line per scenario (with `--engine` when not the default). */
export function formatScoreboard(
  outcomes: readonly ScenarioOutcome[],
  seed: number,
  colors: Colors = plain,
  engine?: EngineName,
): string[] {
  const table = new Table({
    head: SCOREBOARD_HEAD.map((h) => colors.bold(h)),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '  ',
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left'],
  });
  for (const o of outcomes) table.push(scoreboardRow(o, colors));
  const lines = table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd());
  for (const o of outcomes) if (!o.ok) lines.push('', `${scenarioName(o.file)}: ${safeText(o.text)}`);
  lines.push('');
  for (const o of outcomes) lines.push(`replay: ${replayCommand(o.file, seed, engine)}`);
  return lines;
}
