/**
 * Editing a topology document as the user wrote it (the YAML parsed into plain
 * data, `readTopologyYaml`) before the topology schema resolves it again: what a
 * sweep does to set an axis value, and what a worlds file does to set an
 * assumption. Setting the document, not the resolved parameters, means a path
 * means what it means in a file, defaults and all.
 */
import { isMapping } from './file-values.ts';
import type { PathSegment } from './sweep-axis.ts';

/** A copy that shares nothing: YAML aliases parse to one shared object, and an edit must change one place only. */
export function copyDocument(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyDocument);
  if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, copyDocument(x)]));
  return v;
}

/** Sets `value` at `segments`, creating missing mappings on the way (the schema then says whether the key exists). */
export function setPath(doc: unknown, segments: readonly PathSegment[], value: unknown): void {
  let v = doc as Record<string | number, unknown>;
  for (const seg of segments.slice(0, -1)) {
    if (v[seg] === undefined || v[seg] === null) v[seg] = {};
    v = v[seg] as Record<string | number, unknown>;
  }
  v[segments[segments.length - 1]!] = value;
}

/** A router rollout of the timeline whose `pool` sets `key`. */
export interface PoolOverride {
  /** the event's index in the timeline */
  index: number;
  value: unknown;
  /** the event's `at`, as written */
  at: unknown;
}

/**
 * The router rollouts whose `pool` sets `key`: each overrides `router.pool.<key>` for every pod it starts, the pods a
 * storm after the rollout hits, so setting `router.pool.<key>` alone would not reach them.
 */
export function rolloutPoolOverrides(doc: unknown, key: string): PoolOverride[] {
  const timeline = isMapping(doc) ? doc.timeline : undefined;
  if (!Array.isArray(timeline)) return [];
  return timeline.flatMap((e, index) =>
    isMapping(e) && e.rollout === 'router' && isMapping(e.pool) && Object.hasOwn(e.pool, key)
      ? [{ index, value: e.pool[key], at: e.at }]
      : [],
  );
}
