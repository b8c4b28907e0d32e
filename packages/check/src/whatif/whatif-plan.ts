/**
 * The branches of `stampede whatif`: the topology as written, and for each
 * tried action the same topology with that action added to its timeline at
 * minute T. A branch differs from the run as written only by the action: the
 * same seed gives the same storm up to T, and every event of the file stays
 * (a responder who acted at T would still have rolled back later if the
 * storm had not ended).
 *
 * An action is a timeline event written as in a topology file, without its
 * `at` (`{rollback: router}`, `{kill: router, count: 2}`); it is added to the
 * document as written and the whole document is resolved again, so a wrong
 * verb or field gets the topology loader's own message.
 *
 * What the oracle judges: the branch without the file's own manual rollbacks,
 * but with a tried rollback kept (it is the question), so "does the storm
 * end" means "does it end after this action, by itself".
 */
import { formatDuration, type PlatformParams, parseTopology, readTopologyYaml, TopologyError } from '@stampede/model';
import { copyDocument } from '../document-edit.ts';
import { isMapping } from '../file-values.ts';
import { unjudgeable } from '../oracle.ts';
import { valueLabel } from '../worlds/worlds-file.ts';
import { WhatifError } from './whatif-error.ts';

export interface Branch {
  /** the action as the user wrote it */
  action: string;
  /** the action's timeline event, as a topology file writes it (with `at`) */
  event: Record<string, unknown>;
  /** the run: as written, plus the action at T */
  params: PlatformParams;
  /** what the oracle judges: the run without the file's own rollbacks (a tried rollback stays) */
  judged: PlatformParams;
  /** the file's later rollbacks of the deployment a tried rollback or restart acted on, left out of the branch */
  dropped: string[];
}

export interface WhatifPlan {
  name: string;
  atMs: number;
  /** the run as written */
  asWritten: PlatformParams;
  branches: Branch[];
}

export const MAX_TRIES = 16;
const EXAMPLE = "e.g. --try '{rollback: router}' or --try '{kill: router, count: 2}'";

/** `{rollback: router}` → the mapping; a WhatifError naming the text otherwise. */
export function parseAction(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = readTopologyYaml(text, '--try');
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    throw new WhatifError(`--try ${JSON.stringify(text)}: not YAML (${err.issues.map((i) => i.message).join('; ')}); ${EXAMPLE}`);
  }
  if (!isMapping(v))
    throw new WhatifError(
      `--try ${JSON.stringify(text)}: an action is a timeline event as a topology file writes it, a mapping; ${EXAMPLE}`,
    );
  if (Object.hasOwn(v, 'at'))
    throw new WhatifError(`--try ${JSON.stringify(text)}: leave out \`at\`: --at gives the minute of every tried action`);
  return v;
}

/** The short name of an action for tables and charts: `rollback router`, `kill router ×2`. */
export function actionName(event: Record<string, unknown>): string {
  return Object.entries(event)
    .filter(([k]) => k !== 'at' && k !== 'label')
    .map(([k, v]) => `${k} ${valueLabel(v)}`)
    .join(', ');
}

/** Resolves `doc`; the issues of an added event (timeline[`added`]) are named as the action's, not by an index the user never wrote. */
function resolve(doc: unknown, source: string, what: string, added?: number): PlatformParams {
  try {
    return parseTopology(doc, source);
  } catch (err) {
    if (!(err instanceof TopologyError)) throw err;
    const own = added === undefined ? undefined : `timeline[${added}]`;
    const path = (p: string) => (own !== undefined && p.startsWith(own) ? `the action${p.slice(own.length).replace(/^\./, ': ')}` : p);
    const issues = err.issues.slice(0, 3).map((i) => `${i.path === '' ? '' : `${path(i.path)}: `}${i.message}`);
    throw new WhatifError(`${what} does not fit ${source}: ${issues.join('; ')}`);
  }
}

/** Plans the branches of `document` (the topology as written) at `atMs`, one per tried action. */
export function planWhatif(document: unknown, source: string, atMs: number, tries: readonly string[]): WhatifPlan {
  if (tries.length === 0) throw new WhatifError(`nothing to try: give one or more actions, ${EXAMPLE}`);
  if (tries.length > MAX_TRIES) throw new WhatifError(`--try: at most ${MAX_TRIES} actions at once, got ${tries.length}`);
  const asWritten = resolve(document, source, 'the topology');
  const problem = unjudgeable(asWritten);
  if (problem !== undefined) throw new WhatifError(`${source}: the oracle cannot judge the run as written: ${problem}`);
  if (!(atMs > 0 && atMs < asWritten.durationMs))
    throw new WhatifError(
      `--at ${formatDuration(atMs)}: the action must come after the start and before the end of the run (${formatDuration(asWritten.durationMs)})`,
    );
  const events = tries.map(parseAction);
  const branches = tries.map((action, i): Branch => {
    const event = { at: atMs, ...events[i]!, label: `whatif: ${actionName(events[i]!)} at ${formatDuration(atMs)}` };
    const doc = copyDocument(document) as Record<string, unknown>;
    const timeline = Array.isArray(doc.timeline) ? doc.timeline : [];
    doc.timeline = [...timeline, event];
    const params = resolve(doc, source, `--try ${JSON.stringify(action)}`, timeline.length);
    const tried = params.timeline.findIndex((e) => e.label === event.label && e.atMs === atMs);
    const t = params.timeline[tried]!;
    // a tried rollback or restart replaces the revision the file's later rollbacks of that deployment were written
    // against: kept, they would roll back to the bad revision (or to the restart's). Such a branch leaves them out.
    const undone = (e: (typeof params.timeline)[number], j: number) =>
      j !== tried && e.kind === 'rollback' && e.atMs >= atMs && (t.kind === 'rollback' || t.kind === 'restart') && e.target === t.target;
    const dropped = params.timeline.filter(undone).map((e) => `${e.kind} ${'target' in e ? e.target : ''} at ${formatDuration(e.atMs)}`);
    params.timeline = params.timeline.filter((e, j) => !undone(e, j));
    const judged = structuredClone(params);
    // the file's own rollbacks are left out of the judgement; the tried action stays
    judged.timeline = params.timeline.filter((e) => e.label === event.label || e.kind !== 'rollback');
    const problem = unjudgeable(judged, true);
    if (problem !== undefined)
      throw new WhatifError(`--try ${JSON.stringify(action)} at ${formatDuration(atMs)}: the oracle cannot judge the branch: ${problem}`);
    return { action, event, params, judged, dropped };
  });
  return { name: asWritten.name, atMs, asWritten, branches };
}
