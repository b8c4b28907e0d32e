/**
 * Timeline: each event is a mapping with `at`, exactly one action key, the action's own keys and an optional label.
 */
import type { z } from 'zod';
import type { PoolParams, TimelineEvent } from '../params.ts';
import { describedLeaf } from './described.ts';
import { formatDuration } from './duration.ts';
import { duration, int, nonEmptyText, num, oneOf } from './leaves.ts';
import { didYouMean, listOr, quote } from './messages.ts';
import { RANGES } from './ranges.ts';
import { pool } from './sections.ts';
import { mapping, variants } from './structure.ts';

export const EVENT_ACTIONS = ['rollout', 'rollback', 'kill', 'partition', 'latencySpike', 'loadSpike'] as const;
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
} satisfies Record<EventAction, z.ZodType<TimelineEvent>>;

type TimelineEventInput = { [A in EventAction]: z.input<(typeof eventVariants)[A]> }[EventAction];

const EVENT_KEYS: { [A in EventAction]: readonly string[] } = {
  rollout: ['at', 'rollout', 'pool', 'label'],
  rollback: ['at', 'rollback', 'label'],
  kill: ['at', 'kill', 'count', 'label'],
  partition: ['at', 'partition', 'duration', 'label'],
  latencySpike: ['at', 'latencySpike', 'duration', 'label'],
  loadSpike: ['at', 'loadSpike', 'duration', 'label'],
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
