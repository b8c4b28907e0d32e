/**
 * What `stampede whatif` answers, as data (`--json` prints it): the run as
 * written, and per tried action whether the storm ends, how long after the
 * action, and the impact avoided against the run as written; and, when asked,
 * the latest minute at which an action still works.
 */
import type { EngineName } from '@stampede/kernel';
import type { Impact } from '@stampede/model';
import type { LatestResult } from './latest.ts';
import type { WhatifPlan } from './whatif-plan.ts';
import type { BranchResult } from './whatif-run.ts';

export const WHATIF_FORMAT = 'stampede-whatif';
export const WHATIF_FORMAT_VERSION = 2;

export interface WhatifBranch {
  action: string;
  /** the timeline event added, as a topology file writes it */
  event: Record<string, unknown>;
  result: BranchResult;
  /** the file's later rollbacks this branch leaves out: after a tried rollback or restart they would undo it */
  dropped: string[];
  /** the run as written's impact minus this branch's: positive is avoided */
  impactAvoided: Impact;
}

export interface WhatifResult {
  format: typeof WHATIF_FORMAT;
  version: typeof WHATIF_FORMAT_VERSION;
  topology: { name: string; file: string };
  seed: number;
  engine: EngineName;
  /** undefined when only --latest was asked */
  atMs: number | null;
  /**
   * how the branches were made: forked from one run of the past per worker thread, or re-running it per branch, and
   * why (the machines run on xstate) — the results are the same either way
   */
  branching: { mode: 'forked' | 're-run'; reason: string | null };
  asWritten: BranchResult;
  branches: WhatifBranch[];
  latest: ({ action: string; withinMs: number } & LatestResult) | null;
}

const IMPACT_KEYS = ['blockedPipelines', 'failedSecretResolutions', 'apiErrors', 'tasksFailed', 'tasksExpired'] as const;

export function impactAvoided(asWritten: Impact, branch: Impact): Impact {
  return Object.fromEntries(IMPACT_KEYS.map((k) => [k, asWritten[k] - branch[k]])) as unknown as Impact;
}

export function assembleWhatif(
  plan: WhatifPlan | undefined,
  file: string,
  name: string,
  seed: number,
  engine: EngineName,
  asWritten: BranchResult,
  branches: readonly BranchResult[],
  latest: WhatifResult['latest'],
  /** why branches re-ran their prefix instead of forking it; undefined when they forked */
  reranBecause: string | undefined,
): WhatifResult {
  const base = asWritten.run?.impact;
  return {
    format: WHATIF_FORMAT,
    version: WHATIF_FORMAT_VERSION,
    topology: { name, file },
    seed,
    engine,
    atMs: plan?.atMs ?? null,
    branching: reranBecause === undefined ? { mode: 'forked', reason: null } : { mode: 're-run', reason: reranBecause },
    asWritten,
    branches: (plan?.branches ?? []).map((b, i) => {
      const result = branches[i]!;
      const impact = result.run?.impact;
      return {
        action: b.action,
        event: b.event,
        result,
        dropped: b.dropped,
        impactAvoided: base !== undefined && impact !== undefined ? impactAvoided(base, impact) : impactAvoided(zero(), zero()),
      };
    }),
    latest,
  };
}

function zero(): Impact {
  return { blockedPipelines: 0, failedSecretResolutions: 0, apiErrors: 0, tasksFailed: 0, tasksExpired: 0 };
}
