/**
 * Cross-field checks. They read the raw input, so that they are reported together with the field-level problems
 * rather than after them. Each names the fields it compares (`involves`): when one of those has a problem of its own
 * (`minLatency: 2m`, beyond its range), the comparison is left out, so one bad value is one problem.
 */
import { DEFAULTS } from '../defaults.ts';
import type { IntOrPercent } from '../kube/rolling-update.ts';
import { formatDuration, tryParseDuration } from './duration.ts';
import { expected } from './messages.ts';
import { policyDefaults } from './reconnect.ts';
import { SERVICE_TIME_DISTRIBUTIONS } from './sections.ts';
import { isMapping, type SchemaIssue } from './structure.ts';
import { EVENT_ACTIONS } from './timeline.ts';

export type Path = (string | number)[];

/** A cross-field problem, with every field it compares (it is located at one of them). */
export interface CrossFieldIssue extends SchemaIssue {
  involves: Path[];
}

function valueAt(input: unknown, path: Path): unknown {
  let v = input;
  for (const seg of path) {
    if (typeof seg === 'number' ? !Array.isArray(v) : !isMapping(v)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** The value in milliseconds, the default if the field is absent, or undefined if it is invalid. */
function durationAt(input: unknown, path: Path, fallback: number): number | undefined {
  const v = valueAt(input, path);
  if (v === undefined) return fallback;
  const r = tryParseDuration(v);
  return r.ok ? r.ms : undefined;
}

function positiveIntAt(input: unknown, path: Path, fallback: number): number | undefined {
  const v = valueAt(input, path);
  if (v === undefined) return fallback;
  return Number.isSafeInteger(v) && (v as number) >= 1 ? (v as number) : undefined;
}

/**
 * `lower <= upper` for a pair of fields, reported at the one the user wrote (the upper one if both), naming the
 * other's value and whether it is the default.
 */
function orderedPair(
  input: unknown,
  lowerPath: Path,
  upperPath: Path,
  lower: number | undefined,
  upper: number | undefined,
  show: (n: number) => string,
): CrossFieldIssue[] {
  const involves = [lowerPath, upperPath];
  if (lower === undefined || upper === undefined || upper >= lower) return [];
  const lowerName = String(lowerPath[lowerPath.length - 1]);
  const upperName = String(upperPath[upperPath.length - 1]);
  if (valueAt(input, upperPath) !== undefined) {
    const note = valueAt(input, lowerPath) === undefined ? ', the default' : '';
    return [{ path: upperPath, involves, message: expected(`at least ${lowerName} (${show(lower)}${note})`, valueAt(input, upperPath)) }];
  }
  return [
    { path: lowerPath, involves, message: expected(`at most ${upperName} (${show(upper)}, the default)`, valueAt(input, lowerPath)) },
  ];
}

const isZero = (v: IntOrPercent): boolean => v === 0 || v === '0%';

/**
 * `metric: poolUtilization` needs a router pool with a limit: an elastic pool reports 0 (Reactor Netty's gauges against
 * an unbounded max), so with the base pool elastic and no rollout to `mode: fixed` the autoscaler would read 0 on every
 * pod for the whole run and could only ever scale down. Refused while autoscaling is enabled and may scale
 * (maxReplicas above minReplicas).
 */
function poolMetricOnElasticPools(input: unknown): CrossFieldIssue[] {
  const D = DEFAULTS.router;
  const metricPath = ['router', 'autoscaling', 'metric'];
  const modePath = ['router', 'pool', 'mode'];
  const enabledPath = ['router', 'autoscaling', 'enabled'];
  if (valueAt(input, metricPath) !== 'poolUtilization') return [];
  if ((valueAt(input, enabledPath) ?? D.autoscaling.enabled) !== true) return [];
  // with minReplicas = maxReplicas no metric can change the replica count (Prod4's own HPA, 4 and 4): harmless, so
  // allowed, and a worlds file may vary the metric over every run, an elastic baseline included
  let min = valueAt(input, ['router', 'autoscaling', 'minReplicas']) ?? D.autoscaling.minReplicas;
  let max = valueAt(input, ['router', 'autoscaling', 'maxReplicas']) ?? D.autoscaling.maxReplicas;
  let mayScale = typeof min !== 'number' || typeof max !== 'number' || max > min;
  // and a timeline `scale` may open a range by patching the limits
  const events = valueAt(input, ['timeline']);
  const patches = (Array.isArray(events) ? events : []).filter((e) => isMapping(e) && e.scale === 'router');
  for (const e of patches.sort((a, b) => (durationAt(a, ['at'], 0) ?? 0) - (durationAt(b, ['at'], 0) ?? 0))) {
    min = valueAt(e, ['minReplicas']) ?? min;
    max = valueAt(e, ['maxReplicas']) ?? max;
    if (typeof min !== 'number' || typeof max !== 'number' || max > min) mayScale = true;
  }
  if (!mayScale) return [];
  const mode = valueAt(input, modePath) ?? D.pool.mode;
  if (mode !== 'elastic') return []; // fixed, or a bad mode that has its own issue
  const timeline = valueAt(input, ['timeline']);
  const rolloutModes = Array.isArray(timeline) ? timeline.map((e) => (isMapping(e) ? valueAt(e, ['pool', 'mode']) : undefined)) : [];
  if (rolloutModes.some((m) => m !== undefined && m !== 'elastic')) return []; // a rollout to fixed (or a bad mode: its own issue)
  const where = valueAt(input, modePath) === undefined ? 'router.pool.mode is elastic (the default)' : 'router.pool.mode is elastic';
  return [
    {
      path: metricPath,
      involves: [metricPath, modePath, enabledPath],
      message: expected(
        `a metric the router pools report: ${where} and no timeline rollout sets pool mode: fixed, so poolUtilization is 0 on every router pod and the autoscaler could never scale up; write metric: cpu, make a router pool fixed (router.pool.mode: fixed, or a rollout with pool: { mode: fixed }), or set router.autoscaling.enabled: false`,
        'poolUtilization',
      ),
    },
  ];
}

export function crossFieldIssues(input: unknown): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const D = DEFAULTS;

  const minLatency = durationAt(input, ['network', 'minLatency'], D.network.minLatencyMs);
  const maxLatency = durationAt(input, ['network', 'maxLatency'], D.network.maxLatencyMs);
  issues.push(...orderedPair(input, ['network', 'minLatency'], ['network', 'maxLatency'], minLatency, maxLatency, formatDuration));

  const reconnectPath = ['delegates', 'reconnect'];
  const policy = valueAt(input, [...reconnectPath, 'policy']);
  if (policy === 'exponential-full-jitter' || policy === 'exponential-decorrelated-jitter') {
    const base = durationAt(input, [...reconnectPath, 'base'], policyDefaults(policy).baseMs);
    const cap = durationAt(input, [...reconnectPath, 'cap'], policyDefaults(policy).capMs);
    issues.push(...orderedPair(input, [...reconnectPath, 'base'], [...reconnectPath, 'cap'], base, cap, formatDuration));
  }

  // a spread shapes a lognormal only: on fixed or exponential it would be silently ignored
  const st = ['manager', 'serviceTimes'];
  const spread = valueAt(input, [...st, 'spread']);
  const written = valueAt(input, [...st, 'distribution']);
  const distribution = written ?? D.manager.serviceTimeDistribution;
  if (spread !== undefined && distribution !== 'lognormal' && (SERVICE_TIME_DISTRIBUTIONS as readonly unknown[]).includes(distribution)) {
    const which = `distribution ${String(distribution)}${written === undefined ? ', the default' : ''}`;
    issues.push({
      path: [...st, 'spread'],
      involves: [
        [...st, 'distribution'],
        [...st, 'spread'],
      ],
      message: expected(
        `no spread with ${which} (spread is the σ of a lognormal: write distribution: lognormal, or leave spread out)`,
        spread,
      ),
    });
  }

  const as = ['router', 'autoscaling'];
  const minReplicas = positiveIntAt(input, [...as, 'minReplicas'], D.router.autoscaling.minReplicas);
  const maxReplicas = positiveIntAt(input, [...as, 'maxReplicas'], D.router.autoscaling.maxReplicas);
  issues.push(...orderedPair(input, [...as, 'minReplicas'], [...as, 'maxReplicas'], minReplicas, maxReplicas, String));
  issues.push(...poolMetricOnElasticPools(input));

  // The API server rejects maxSurge 0 with maxUnavailable 0: such a rollout could never replace a pod.
  for (const [deployment, defaults] of [
    ['router', D.router.strategy],
    ['manager', D.manager.strategy],
  ] as const) {
    const ru = [deployment, 'strategy', 'rollingUpdate'];
    const surge = valueAt(input, [...ru, 'maxSurge']) ?? defaults.maxSurge;
    const unavailable = valueAt(input, [...ru, 'maxUnavailable']) ?? defaults.maxUnavailable;
    if (isZero(surge as IntOrPercent) && isZero(unavailable as IntOrPercent)) {
      const where = valueAt(input, [...ru, 'maxUnavailable']) !== undefined ? 'maxUnavailable' : 'maxSurge';
      const other = where === 'maxUnavailable' ? 'maxSurge' : 'maxUnavailable';
      issues.push({
        path: [...ru, where],
        involves: [
          [...ru, 'maxSurge'],
          [...ru, 'maxUnavailable'],
        ],
        message: expected(`a value above 0 when ${other} is 0 (the rollout could not replace any pod)`, valueAt(input, [...ru, where])),
      });
    }
  }

  const timeline = valueAt(input, ['timeline']);
  if (Array.isArray(timeline)) {
    const durationMs = durationAt(input, ['duration'], D.durationMs);
    const events = timeline.map((e, i) => ({
      i,
      raw: e,
      atMs: isMapping(e) ? durationAt(e, ['at'], Number.NaN) : undefined,
      action: isMapping(e) ? EVENT_ACTIONS.find((a) => Object.hasOwn(e, a)) : undefined,
    }));
    for (const e of events) {
      if (e.atMs === undefined || Number.isNaN(e.atMs)) continue;
      if (durationMs !== undefined && e.atMs >= durationMs) {
        const note = valueAt(input, ['duration']) === undefined ? ', the default' : '';
        issues.push({
          path: ['timeline', e.i, 'at'],
          involves: [['timeline', e.i, 'at'], ['duration']],
          message: expected(`a time before the end of the run (duration ${formatDuration(durationMs)}${note})`, valueAt(e.raw, ['at'])),
        });
      }
    }
    // per target, whether some rollout's `at` is invalid and the earliest rollout (by time, then position)
    const earliest = new Map<unknown, { invalid: boolean; atMs: number; i: number }>();
    for (const r of events) {
      // a restart is a rollout too (a new revision): a rollback after it has a revision to go back to
      if (r.action !== 'rollout' && r.action !== 'restart') continue;
      const what = valueAt(r.raw, [r.action]);
      const cur = earliest.get(what) ?? { invalid: false, atMs: Number.POSITIVE_INFINITY, i: Number.POSITIVE_INFINITY };
      if (r.atMs === undefined || Number.isNaN(r.atMs)) cur.invalid = true;
      else if (r.atMs < cur.atMs || (r.atMs === cur.atMs && r.i < cur.i)) [cur.atMs, cur.i] = [r.atMs, r.i];
      earliest.set(what, cur);
    }
    for (const e of events) {
      if (e.action === 'rollout' && valueAt(e.raw, ['rollout']) === 'manager' && valueAt(e.raw, ['pool']) !== undefined) {
        issues.push({
          path: ['timeline', e.i, 'pool'],
          involves: [['timeline', e.i, 'pool']],
          message: expected('no pool on a manager rollout (the pool is the router’s)', valueAt(e.raw, ['pool'])),
        });
      }
      if (e.action !== 'rollback' || e.atMs === undefined || Number.isNaN(e.atMs)) continue;
      const what = valueAt(e.raw, ['rollback']);
      if (what !== 'router' && what !== 'manager') continue;
      const first = earliest.get(what);
      if (first?.invalid) continue; // cannot tell: a rollout's `at` has its own issue
      const before = first !== undefined && (first.atMs < e.atMs || (first.atMs === e.atMs && first.i < e.i));
      if (!before) {
        issues.push({
          path: ['timeline', e.i, 'rollback'],
          involves: [['timeline', e.i, 'rollback']],
          message: `expected a ${what} rollout before this rollback (at or before ${formatDuration(e.atMs)}), got none: there is nothing to roll back`,
        });
      }
    }
    issues.push(...pauseIssues(events), ...scaleIssues(input, events));
  }
  return issues;
}

interface TimelineEntry {
  i: number;
  raw: unknown;
  atMs: number | undefined;
  action: (typeof EVENT_ACTIONS)[number] | undefined;
}

const hasTime = (e: TimelineEntry): e is TimelineEntry & { atMs: number } => e.atMs !== undefined && !Number.isNaN(e.atMs);
const byTime = (a: TimelineEntry & { atMs: number }, b: TimelineEntry & { atMs: number }) => a.atMs - b.atMs || a.i - b.i;

/**
 * What kubectl refuses about a paused deployment, per deployment in time order: pausing it again, resuming one that is
 * not paused, restarting it and rolling it back (`resume it first`). A deployment whose pause or resume has a bad `at`
 * is left out (its order cannot be told).
 */
function pauseIssues(events: TimelineEntry[]): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  for (const what of ['router', 'manager'] as const) {
    const mine = events.filter((e) => e.action !== undefined && valueAt(e.raw, [e.action]) === what);
    const toggles = mine.filter((e) => e.action === 'pause' || e.action === 'resume');
    if (toggles.length === 0 || toggles.some((e) => !hasTime(e))) continue;
    let pausedAt: number | undefined;
    for (const e of mine.filter(hasTime).sort(byTime)) {
      const at = (action: string) => ({ path: ['timeline', e.i, action], involves: [['timeline', e.i, action]] });
      const paused = pausedAt === undefined ? '' : `the ${what} deployment paused at ${formatDuration(pausedAt)} and not resumed`;
      if (e.action === 'pause') {
        if (pausedAt !== undefined)
          issues.push({
            ...at('pause'),
            message: `expected a deployment that is not paused, got ${paused}: kubectl refuses to pause it again`,
          });
        else pausedAt = e.atMs;
      } else if (e.action === 'resume') {
        if (pausedAt === undefined)
          issues.push({
            ...at('resume'),
            message: `expected a ${what} pause before this resume (at or before ${formatDuration(e.atMs)}), got none: there is nothing to resume`,
          });
        pausedAt = undefined;
      } else if ((e.action === 'restart' || e.action === 'rollback') && pausedAt !== undefined) {
        const verb = e.action === 'restart' ? 'restart' : 'roll back';
        issues.push({
          ...at(e.action),
          message: `expected a deployment that is not paused, got ${paused}: kubectl refuses to ${verb} a paused deployment (resume it first)`,
        });
      }
    }
  }
  return issues;
}

/**
 * A `scale` event's autoscaler limits (`kubectl patch hpa`): only the router has an autoscaler, only when it is enabled,
 * and the API server keeps minReplicas ≤ maxReplicas, so each patch is compared with the limits in force when it
 * applies (the topology's, then the patches before it in time order).
 */
function scaleIssues(input: unknown, events: TimelineEntry[]): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const as = ['router', 'autoscaling'];
  const enabled = valueAt(input, [...as, 'enabled']) ?? DEFAULTS.router.autoscaling.enabled;
  const scales = events.filter((e) => e.action === 'scale');
  for (const e of scales) {
    for (const key of ['minReplicas', 'maxReplicas']) {
      const v = valueAt(e.raw, [key]);
      if (v === undefined) continue;
      const path = ['timeline', e.i, key];
      if (valueAt(e.raw, ['scale']) === 'manager')
        issues.push({ path, involves: [path], message: expected(`no ${key} on a manager scale (only the router has an autoscaler)`, v) });
      else if (enabled === false)
        issues.push({
          path,
          involves: [path, [...as, 'enabled']],
          message: expected(`no ${key} while router.autoscaling.enabled is false (there is no autoscaler to patch)`, v),
        });
    }
  }
  // the limits in force, and where each came from; a bad value anywhere leaves the rest of the comparisons out
  let min = positiveIntAt(input, [...as, 'minReplicas'], DEFAULTS.router.autoscaling.minReplicas);
  let max = positiveIntAt(input, [...as, 'maxReplicas'], DEFAULTS.router.autoscaling.maxReplicas);
  const topologyNote = (key: string) => `router.autoscaling.${key}${valueAt(input, [...as, key]) === undefined ? ', the default' : ''}`;
  let minFrom = topologyNote('minReplicas');
  let maxFrom = topologyNote('maxReplicas');
  const routerScales = scales.filter((e) => valueAt(e.raw, ['scale']) === 'router');
  if (routerScales.some((e) => !hasTime(e))) return issues;
  for (const e of routerScales.filter(hasTime).sort(byTime)) {
    if (min === undefined || max === undefined) break;
    const wroteMin = valueAt(e.raw, ['minReplicas']);
    const wroteMax = valueAt(e.raw, ['maxReplicas']);
    if (wroteMin === undefined && wroteMax === undefined) continue;
    const newMin = wroteMin === undefined ? min : positiveIntAt(e.raw, ['minReplicas'], min);
    const newMax = wroteMax === undefined ? max : positiveIntAt(e.raw, ['maxReplicas'], max);
    if (newMin === undefined || newMax === undefined) break; // a bad value has its own issue
    const involves: Path[] = [
      ['timeline', e.i, 'minReplicas'],
      ['timeline', e.i, 'maxReplicas'],
      [...as, 'minReplicas'],
      [...as, 'maxReplicas'],
    ];
    if (newMin > newMax) {
      if (wroteMax !== undefined)
        issues.push({
          path: ['timeline', e.i, 'maxReplicas'],
          involves,
          message: expected(`at least minReplicas (${newMin}${wroteMin === undefined ? `, ${minFrom}` : ''})`, wroteMax),
        });
      else
        issues.push({
          path: ['timeline', e.i, 'minReplicas'],
          involves,
          message: expected(`at most maxReplicas (${newMax}, ${maxFrom})`, wroteMin),
        });
      continue; // the API server refuses the patch: the limits stay
    }
    const when = `set at ${formatDuration(e.atMs)}`;
    if (wroteMin !== undefined) [min, minFrom] = [newMin, when];
    if (wroteMax !== undefined) [max, maxFrom] = [newMax, when];
  }
  return issues;
}
