/**
 * The topology schema: what a user writes (YAML or a `TopologyInput` object), how it is validated, and how it
 * resolves into the model's `PlatformParams` with every missing field taken from `DEFAULTS`.
 *
 * The input speaks Kubernetes where Kubernetes has a word (replicas, rollingUpdate.maxSurge, minReadySeconds,
 * terminationGracePeriod, behavior.scaleUp) and states times as durations (`15s`, `5m`); the resolved params carry
 * their unit in their names (`socketOpenTimeoutMs`). Validation is written for a person fixing a file: every problem of
 * a document is reported at once, in document order, each with its path, the value found and what was expected, and
 * an unknown key suggests the known key it was probably meant to be. zod walks the structure (strict objects, lists);
 * the leaves are small custom parsers so that every message has the same `expected …, got …` form.
 *
 * The parts live beside this file: messages.ts (texts, did-you-mean), leaves.ts (numbers, durations, oneOf,
 * intOrPercent), structure.ts (strict mappings, variants), reconnect.ts, sections.ts, timeline.ts, cross-field.ts
 * and report.ts (paths, document order); this file assembles the document and resolves it over the defaults.
 */

import { totalmem } from 'node:os';
import type { z } from 'zod';
import { defaultParams } from '../defaults.ts';
import type { PlatformParams } from '../params.ts';
import { crossFieldIssues } from './cross-field.ts';
import { duration, nonEmptyText, text } from './leaves.ts';
import { showValue, unknownKeyMessage } from './messages.ts';
import { RANGES } from './ranges.ts';
import { dedupe, inDocumentOrder } from './report.ts';
import { delegates, manager, network, router, validationGate, workload } from './sections.ts';
import { RUN_SIZE_LIMITS, runSizeProblem } from './size.ts';
import { isMapping, KEY_SEPARATOR, list, mapping, type SchemaIssue } from './structure.ts';
import { timelineEvent } from './timeline.ts';

export type { Duration } from './leaves.ts';
export { didYouMean, showValue } from './messages.ts';
export { formatPath } from './report.ts';
export type { SchemaIssue } from './structure.ts';

export type Resolution = { ok: true; params: PlatformParams } | { ok: false; issues: SchemaIssue[] };

/** The most events a timeline may have: each is an action on the platform, and a run rarely needs more than a few. */
export const MAX_TIMELINE_EVENTS = 10_000;

export const topologySchema = mapping({
  name: nonEmptyText.optional(),
  description: text.optional(),
  duration: duration(RANGES.duration).optional(),
  sampleInterval: duration(RANGES.sampleInterval).optional(),
  network: network.optional(),
  delegates: delegates.optional(),
  router: router.optional(),
  manager: manager.optional(),
  workload: workload.optional(),
  validationGate: validationGate.optional(),
  timeline: list(timelineEvent, 'a list of events', MAX_TIMELINE_EVENTS).optional(),
});

/** A topology as a TypeScript object: the YAML shape, every field optional, durations as `'15s'` or milliseconds. */
export type TopologyInput = z.input<typeof topologySchema>;

/** Validates a topology (already parsed from YAML, or written as an object) and resolves it over `DEFAULTS`. */
export function resolveTopology(input: unknown): Resolution {
  if (!isMapping(input)) {
    const got = input === undefined || input === null ? 'nothing (the document is empty)' : showValue(input);
    return {
      ok: false,
      issues: [{ path: [], message: `expected a mapping of topology settings (name, duration, delegates, router, …), got ${got}` }],
    };
  }
  const parsed = topologySchema.safeParse(input);
  const issues: SchemaIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      if (issue.code === 'unrecognized_keys') {
        const messages = issue.message.split(KEY_SEPARATOR);
        for (const [i, key] of issue.keys.entries())
          issues.push({ path: [...path, key], message: messages[i] ?? unknownKeyMessage(key, []) });
      } else {
        issues.push({ path, message: issue.message });
      }
    }
  }
  // a comparison with a field that has a problem of its own is left out: one bad value, one problem
  const own = new Set(issues.map((i) => i.path.join('\u0000')));
  for (const { involves, ...issue } of crossFieldIssues(input)) if (!involves.some((p) => own.has(p.join('\u0000')))) issues.push(issue);
  if (issues.length > 0) return { ok: false, issues: inDocumentOrder(input, dedupe(issues)) };
  if (!parsed.success) throw new Error('resolveTopology: zod failed without issues'); // unreachable: narrows `parsed`
  const params = resolve(parsed.data);
  // a run that would not fit the machine is refused here, so every command refuses it before any work
  const tooBig = runSizeProblem(params, { ...RUN_SIZE_LIMITS, bytes: Math.min(RUN_SIZE_LIMITS.bytes, 0.6 * totalmem()) });
  if (tooBig !== undefined) return { ok: false, issues: [{ path: [], message: tooBig }] };
  return { ok: true, params };
}

function resolve(t: z.output<typeof topologySchema>): PlatformParams {
  const d = defaultParams(); // the result owns its objects (DEFAULTS itself is frozen)
  const r = t.router ?? {};
  const m = t.manager ?? {};
  return {
    name: t.name ?? d.name,
    description: t.description ?? d.description,
    durationMs: t.duration ?? d.durationMs,
    sampleIntervalMs: t.sampleInterval ?? d.sampleIntervalMs,
    network: { ...d.network, ...t.network },
    delegates: { ...d.delegates, ...t.delegates },
    router: {
      ...d.router,
      ...r,
      pool: { ...d.router.pool, ...r.pool },
      strategy: { ...d.router.strategy, ...r.strategy },
      autoscaling: { ...d.router.autoscaling, ...r.autoscaling },
    },
    manager: { ...d.manager, ...m, strategy: { ...d.manager.strategy, ...m.strategy } },
    workload: { ...d.workload, ...t.workload },
    validationGate: { ...d.validationGate, ...t.validationGate },
    timeline: t.timeline ?? d.timeline,
  };
}
