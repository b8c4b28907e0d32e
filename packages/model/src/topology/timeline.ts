/**
 * Timeline: each event is a mapping with `at`, exactly one action key, the action's own keys and an optional label.
 */
import { z } from 'zod';
import type { PoolParams, TimelineEvent } from '../params.ts';
import { describedLeaf } from './described.ts';
import { formatDuration } from './duration.ts';
import { duration, int, nonEmptyText, num, oneOf } from './leaves.ts';
import { didYouMean, expected, listOr, quote } from './messages.ts';
import { RANGES } from './ranges.ts';
import { pool } from './sections.ts';
import { mapping, variants } from './structure.ts';

export const EVENT_ACTIONS = [
  'rollout',
  'rollback',
  'kill',
  'partition',
  'latencySpike',
  'loadSpike',
  'scale',
  'reconfigure',
  'restart',
  'pause',
  'resume',
  'admit',
] as const;
type EventAction = (typeof EVENT_ACTIONS)[number];

const target = oneOf(['router', 'manager']);
const at = duration(RANGES.at);
const label = nonEmptyText.optional();
// the keys of router.pool, listed once in the field reference (under router.pool), not again under each rollout
const rolloutPool = describedLeaf(
  pool.transform((p) => p),
  { type: 'mapping', accepts: 'keys of router.pool' },
);

/** "mode fixed, maxConnections 520": a rollout's pool in the words of the topology, for its generated label. */
function describePool(p: Partial<PoolParams>): string {
  return Object.entries(p)
    .map(([k, v]) => (k.endsWith('Ms') ? `${k.slice(0, -2)} ${formatDuration(v as number)}` : `${k} ${String(v)}`))
    .join(', ');
}

const eventVariants = {
  rollout: mapping({ at, rollout: target, pool: rolloutPool.optional(), label }).transform(
    (e): TimelineEvent => ({
      atMs: e.at,
      kind: 'rollout',
      target: e.rollout,
      ...(e.pool !== undefined ? { pool: e.pool } : {}),
      label:
        e.label ??
        `${e.rollout} rollout${e.pool !== undefined && Object.keys(e.pool).length > 0 ? ` (pool: ${describePool(e.pool)})` : ''}`,
    }),
  ),
  rollback: mapping({ at, rollback: target, label }).transform(
    (e): TimelineEvent => ({ atMs: e.at, kind: 'rollback', target: e.rollback, label: e.label ?? `${e.rollback} rollback` }),
  ),
  kill: mapping({ at, kill: target, count: int(1, RANGES.killCount).optional(), label }).transform((e): TimelineEvent => {
    const count = e.count ?? 1;
    return {
      atMs: e.at,
      kind: 'kill-pod',
      target: e.kill,
      count,
      label: e.label ?? `kill ${count} ${e.kill} pod${count === 1 ? '' : 's'}`,
    };
  }),
  partition: mapping({ at, partition: oneOf(['delegates-routers']), duration: duration(RANGES.eventDuration), label }).transform(
    (e): TimelineEvent => ({
      atMs: e.at,
      kind: 'partition',
      durationMs: e.duration,
      label: e.label ?? `${e.partition} partition for ${formatDuration(e.duration)}`,
    }),
  ),
  latencySpike: mapping({ at, latencySpike: duration(RANGES.latencySpike), duration: duration(RANGES.eventDuration), label }).transform(
    (e): TimelineEvent => ({
      atMs: e.at,
      kind: 'latency-spike',
      extraLatencyMs: e.latencySpike,
      durationMs: e.duration,
      label: e.label ?? `latency spike +${formatDuration(e.latencySpike)} for ${formatDuration(e.duration)}`,
    }),
  ),
  loadSpike: mapping({
    at,
    loadSpike: num({ ...RANGES.loadSpike, exclusiveMin: true }),
    duration: duration(RANGES.eventDuration),
    label,
  }).transform(
    (e): TimelineEvent => ({
      atMs: e.at,
      kind: 'load-spike',
      factor: e.loadSpike,
      durationMs: e.duration,
      label: e.label ?? `load spike x${e.loadSpike} for ${formatDuration(e.duration)}`,
    }),
  ),
  scale: mapping({
    at,
    scale: target,
    replicas: int(0, RANGES.scaleReplicas).optional(),
    minReplicas: int(1, RANGES.autoscalerReplicas).optional(),
    maxReplicas: int(1, RANGES.autoscalerReplicas).optional(),
    label,
  }).transform((e, ctx): TimelineEvent => {
    // min ≤ max against the limits in force, and limits only where an autoscaler is, are cross-field (cross-field.ts)
    if (e.replicas === undefined && e.minReplicas === undefined && e.maxReplicas === undefined) {
      ctx.issues.push({
        code: 'custom',
        path: ['scale'],
        message: `expected replicas, minReplicas or maxReplicas beside scale: ${e.scale} (what to scale to), got none`,
        input: e,
      });
      return z.NEVER;
    }
    const parts = [
      ...(e.replicas !== undefined ? [`to ${e.replicas} pod${e.replicas === 1 ? '' : 's'}`] : []),
      ...(e.minReplicas !== undefined ? [`minReplicas ${e.minReplicas}`] : []),
      ...(e.maxReplicas !== undefined ? [`maxReplicas ${e.maxReplicas}`] : []),
    ];
    return {
      atMs: e.at,
      kind: 'scale',
      target: e.scale,
      ...(e.replicas !== undefined ? { replicas: e.replicas } : {}),
      ...(e.minReplicas !== undefined ? { minReplicas: e.minReplicas } : {}),
      ...(e.maxReplicas !== undefined ? { maxReplicas: e.maxReplicas } : {}),
      label: e.label ?? `scale ${e.scale} ${parts.join(', ')}`,
    };
  }),
  reconfigure: mapping({ at, reconfigure: oneOf(['router']), pool: rolloutPool, label }).transform((e, ctx): TimelineEvent => {
    if (e.pool.mode !== undefined) {
      ctx.issues.push({
        code: 'custom',
        path: ['pool', 'mode'],
        message: expected(
          'no mode in a reconfigure (the kind of pool is not a setting a running pod can reload: roll it out, { rollout: router, pool: { mode: … } })',
          e.pool.mode,
        ),
        input: e.pool.mode,
      });
      return z.NEVER;
    }
    if (Object.keys(e.pool).length === 0) {
      ctx.issues.push({
        code: 'custom',
        path: ['pool'],
        message: 'expected at least one pool setting to reload, such as { maxConnections: 1118 }, got an empty mapping',
        input: e.pool,
      });
      return z.NEVER;
    }
    return {
      atMs: e.at,
      kind: 'reconfigure',
      target: 'router',
      pool: e.pool,
      label: e.label ?? `router pool reconfigured in place (${describePool(e.pool)})`,
    };
  }),
  restart: mapping({ at, restart: target, label }).transform(
    (e): TimelineEvent => ({ atMs: e.at, kind: 'restart', target: e.restart, label: e.label ?? `${e.restart} rollout restart` }),
  ),
  pause: mapping({ at, pause: target, label }).transform(
    (e): TimelineEvent => ({ atMs: e.at, kind: 'pause', target: e.pause, label: e.label ?? `${e.pause} rollout paused` }),
  ),
  resume: mapping({ at, resume: target, label }).transform(
    (e): TimelineEvent => ({ atMs: e.at, kind: 'resume', target: e.resume, label: e.label ?? `${e.resume} rollout resumed` }),
  ),
  admit: mapping({
    at,
    admit: mapping({ reconnectsPerSecond: int(0, RANGES.admitRate) }),
    duration: duration(RANGES.eventDuration).optional(),
    label,
  }).transform(
    (e): TimelineEvent => ({
      atMs: e.at,
      kind: 'admit',
      reconnectsPerSecond: e.admit.reconnectsPerSecond,
      ...(e.duration !== undefined ? { durationMs: e.duration } : {}),
      label:
        e.label ??
        `admit at most ${e.admit.reconnectsPerSecond} WebSocket opens/s ${e.duration !== undefined ? `for ${formatDuration(e.duration)}` : 'until the end of the run'}`,
    }),
  ),
} satisfies Record<EventAction, z.ZodType<TimelineEvent>>;

type TimelineEventInput = { [A in EventAction]: z.input<(typeof eventVariants)[A]> }[EventAction];

const EVENT_KEYS: { [A in EventAction]: readonly string[] } = {
  rollout: ['at', 'rollout', 'pool', 'label'],
  rollback: ['at', 'rollback', 'label'],
  kill: ['at', 'kill', 'count', 'label'],
  partition: ['at', 'partition', 'duration', 'label'],
  latencySpike: ['at', 'latencySpike', 'duration', 'label'],
  loadSpike: ['at', 'loadSpike', 'duration', 'label'],
  scale: ['at', 'scale', 'replicas', 'minReplicas', 'maxReplicas', 'label'],
  reconfigure: ['at', 'reconfigure', 'pool', 'label'],
  restart: ['at', 'restart', 'label'],
  pause: ['at', 'pause', 'label'],
  resume: ['at', 'resume', 'label'],
  admit: ['at', 'admit', 'duration', 'label'],
};

export const timelineEvent = variants<TimelineEventInput, TimelineEvent>({
  by: 'the action key',
  what: 'an event such as { at: 10m, rollout: router }',
  variants: Object.fromEntries(EVENT_ACTIONS.map((a) => [a, { keys: EVENT_KEYS[a], schema: eventVariants[a] }])),
  pick: (v) => {
    const actions = EVENT_ACTIONS.filter((a) => Object.hasOwn(v, a));
    if (actions.length === 1) return { variant: actions[0]! };
    if (actions.length > 1) {
      return { path: [actions[1]!], message: `expected one action per event, got ${listOr(actions).replace(' or ', ' and ')}` };
    }
    const allKeys = new Set(Object.values(EVENT_KEYS).flat());
    for (const key of Object.keys(v)) {
      const guess = allKeys.has(key) ? undefined : didYouMean(key, EVENT_ACTIONS);
      if (guess !== undefined) return { path: [key], message: `unknown key ${quote(key)} (did you mean ${quote(guess)}?)` };
    }
    const keys = Object.keys(v);
    return {
      path: [],
      message: `expected an event with one of ${listOr(EVENT_ACTIONS as unknown as string[])}, got ${keys.length > 0 ? `only ${keys.join(', ')}` : 'an empty mapping'}`,
    };
  },
  describe: (action) => `a ${action} event`,
});
