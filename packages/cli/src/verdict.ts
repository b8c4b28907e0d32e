/**
 * The oracle's verdict on one topology as the commands show it: judged
 * without the timeline's manual rollbacks (does the fleet come back by
 * itself?), which is not the same question as "did the run as written
 * recover". One function judges (`run`, `run --report`, `check --report` and
 * the demo's workers call it); the rest formats the verdict for a terminal
 * and for JSON.
 */
import { judge, type Verdict, type VerdictKind } from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import type { PlatformParams } from '@stampede/model';
import { type Colors, fmtClock, plain, safeText } from '@stampede/report';
import { rollbacksOf } from './summary-format.ts';

/** The oracle's verdict, or why it cannot judge this topology (the reason, without "No verdict: "). */
export type RunVerdict = Verdict | { unavailable: string };

/** The question the verdict answers, as every command words it. */
export const VERDICT_QUESTION = 'does it come back by itself? manual rollbacks left out';

/** The oracle's verdict on `engine` (default 'compiled'), or why it cannot judge this topology (its own 'judge: …' errors). */
export function verdictFor(params: PlatformParams, seed: number, engine?: EngineName): RunVerdict {
  try {
    return judge(params, seed, { engine });
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('judge: ')) return { unavailable: `${err.message.slice(7)}.` };
    throw err;
  }
}

/** "metastable (abandoned-acquires); not recovered at the deadline, minute …": the verdict, its sustaining loop unless it recovered, and the oracle's evidence. */
export function formatVerdict(v: { verdict: VerdictKind; dominantLoop: string; evidence: string }, colors: Colors = plain): string {
  // a verdict may come from a file (a check shard's memo): its text is shown with control characters escaped
  return `${colors.bold(v.verdict)}${v.verdict === 'recovered' ? '' : ` (${safeText(v.dominantLoop)})`}; ${safeText(v.evidence)}`;
}

/** "10.0 min rollout router, 10.0 min rollout manager": the timeline the oracle judges (manual rollbacks left out). */
export function timelineAsJudged(params: PlatformParams): string {
  return params.timeline
    .filter((e) => e.kind !== 'rollback')
    .map((e) => `${(e.atMs / 60_000).toFixed(1)} min ${e.kind}${'target' in e ? ` ${e.target}` : ''}`)
    .join(', ');
}

/** The verdict block `stampede run` prints first: the verdict with its evidence, or why there is none. */
export function formatVerdictBlock(v: RunVerdict, params: PlatformParams, colors: Colors = plain): string[] {
  const head = `verdict (${VERDICT_QUESTION}):`;
  if ('unavailable' in v) return [`${head} ${colors.yellow('not available')}: ${v.unavailable}`];
  const word = v.verdict === 'recovered' ? colors.green : colors.red;
  const rollbacks = rollbacksOf(params);
  return [
    `${head} ${formatVerdict(v, { ...colors, bold: (s: string | number | null | undefined) => colors.bold(word(s)) })}`,
    `  judged on engine ${v.engine}${rollbacks.length === 0 ? '' : `, without the manual rollback${rollbacks.length === 1 ? '' : 's'} at ${rollbacks.map(fmtClock).join(', ')}`}` +
      ` (oracle's run ${v.traceHash}${v.control === undefined ? '' : ', plus a control run from a quiet start'})`,
  ];
}

/** The verdict in `run --json` and summary.json: times in seconds of virtual time, absent values null. */
export interface VerdictJson {
  /** recovered, slow, metastable or overloaded: the oracle's answer to "does it come back by itself?" */
  verdict: Verdict['verdict'];
  dominantLoop: Verdict['dominantLoop'];
  evidence: string;
  /** what ran the oracle's runs */
  engine: EngineName;
  /** hash of the oracle's judged run (not the run as written) */
  traceHash: string;
  /** the manual rollbacks of the timeline that the oracle left out */
  rollbacksLeftOutAtSec: number[];
  triggerAtSec: number;
  triggerEndSec: number;
  deadlineSec: number;
  recoveredAtSec: number | null;
  /** from the trigger (the first timeline event) to recoveredAtSec: includes the rollout */
  timeToRecoverSec: number | null;
  /** whether the judged run had a storm (connected below STORM_CONNECTED_FRACTION_BELOW after the trigger) */
  storm: boolean;
  stormStartSec: number | null;
  /** from the storm's start to recoveredAtSec; null without a storm or when not recovered */
  timeToRecoverFromStormSec: number | null;
  /** lowest connected fraction, peak pending acquires and routers the autoscaler added in the judged run */
  severity: Verdict['severity'];
  baseline: Verdict['baseline'];
  atDeadline: Verdict['atDeadline'];
  loops: Verdict['loops'];
  /** the final configuration from a quiet start; null when the oracle did not need it */
  control: NonNullable<Verdict['control']> | null;
}

export function verdictJson(v: Verdict, params: PlatformParams): VerdictJson {
  return {
    verdict: v.verdict,
    dominantLoop: v.dominantLoop,
    evidence: v.evidence,
    engine: v.engine,
    traceHash: v.traceHash,
    rollbacksLeftOutAtSec: rollbacksOf(params).map((t) => t / 1000),
    triggerAtSec: v.triggerAtMs / 1000,
    triggerEndSec: v.triggerEndMs / 1000,
    deadlineSec: v.deadlineMs / 1000,
    recoveredAtSec: v.recoveredAtMs === undefined ? null : v.recoveredAtMs / 1000,
    timeToRecoverSec: v.timeToRecoverSec ?? null,
    storm: v.storm,
    stormStartSec: v.stormStartMs === undefined ? null : v.stormStartMs / 1000,
    timeToRecoverFromStormSec: v.timeToRecoverFromStormSec ?? null,
    severity: v.severity,
    baseline: v.baseline,
    atDeadline: v.atDeadline,
    loops: v.loops,
    control: v.control ?? null,
  };
}
