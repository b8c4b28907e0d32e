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
 */
import { z } from 'zod';
import { DEFAULTS } from '../defaults.ts';
import type { IntOrPercent } from '../kube/rolling-update.ts';
import type {
  AutoscalingParams,
  DelegateParams,
  ManagerParams,
  PlatformParams,
  PoolParams,
  ReconnectPolicy,
  RolloutStrategy,
  RouterParams,
  TimelineEvent,
  ValidationGateParams,
  WorkloadParams,
} from '../params.ts';
import { DURATION_EXAMPLES, formatDuration, tryParseDuration } from './duration.ts';

/** A duration as a topology writes it: `45s`, `5m`, `1h30m`, `250ms`, or a plain number of milliseconds. */
export type Duration = string | number;

/** One problem of a topology, located by its path in the input (keys and list indices). */
export interface SchemaIssue {
  path: (string | number)[];
  message: string;
}

export type Resolution = { ok: true; params: PlatformParams } | { ok: false; issues: SchemaIssue[] };

// ---------------------------------------------------------------------------------------------------------------
// Messages

/** How a message shows the value it found: strings quoted (so `"5 m"` shows its space), containers by kind. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

function expected(what: string, v: unknown): string {
  return `expected ${what}, got ${showValue(v)}`;
}

const quote = (s: string): string => JSON.stringify(s);

/** `a, b or c`: how messages list the accepted values. */
function listOr(values: readonly string[]): string {
  return values.length <= 1 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

/**
 * The known word `word` was probably meant to be: equal ignoring case, `-`, `_` and a unit suffix (a Kubernetes user
 * writes `terminationGracePeriodSeconds`, a reader of params.ts `socketOpenTimeoutMs`), or within a small edit
 * distance (`maxConection`).
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const w = norm(word);
  const exact = candidates.find((c) => norm(c) === w);
  if (exact !== undefined) return exact;
  const stripped = w.replace(/(milliseconds|millis|seconds|secs|sec|ms)$/, '');
  const unitless = candidates.find((c) => norm(c) === stripped);
  if (unitless !== undefined) return unitless;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(w, norm(c));
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 4)) ? best : undefined;
}

/** Edit distance counting a swap of two neighbours as one edit (`lable` → `label`): optimal string alignment. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

function unknownKeyMessage(key: string, known: readonly string[]): string {
  const guess = didYouMean(key, known);
  return guess !== undefined
    ? `unknown key ${quote(key)} (did you mean ${quote(guess)}?)`
    : `unknown key ${quote(key)}: expected one of ${known.join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Leaves: each accepts `unknown` and either returns the resolved value or one `expected …, got …` message.

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** A leaf typed `In` for TypeScript users, checked at run time by `parse` (YAML gives it anything). */
function leaf<In, Out = In>(parse: (v: unknown) => Parsed<Out>) {
  return z.custom<In>().transform((v, ctx): Out => {
    const r = parse(v);
    if (r.ok) return r.value;
    ctx.issues.push({ code: 'custom', message: r.message, input: v });
    return z.NEVER;
  });
}

function simple<T>(what: string, test: (v: unknown) => boolean) {
  return leaf<T>((v) => (test(v) ? { ok: true, value: v as T } : { ok: false, message: expected(what, v) }));
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const positiveInt = simple<number>('a positive integer', (v) => Number.isSafeInteger(v) && (v as number) >= 1);
const nonNegativeInt = simple<number>('a non-negative integer', (v) => Number.isSafeInteger(v) && (v as number) >= 0);
const positiveNumber = simple<number>('a positive number', (v) => isFiniteNumber(v) && v > 0);
const nonNegativeNumber = simple<number>('a non-negative number', (v) => isFiniteNumber(v) && v >= 0);
const fraction = simple<number>('a number from 0 to 1', (v) => isFiniteNumber(v) && v >= 0 && v <= 1);
const utilization = simple<number>('a number above 0 and at most 1', (v) => isFiniteNumber(v) && v > 0 && v <= 1);
const bool = simple<boolean>('true or false', (v) => typeof v === 'boolean');
const text = simple<string>('a string', (v) => typeof v === 'string');
const nonEmptyText = simple<string>('a non-empty string', (v) => typeof v === 'string' && v.trim() !== '');

function oneOf<const T extends string>(values: readonly T[]) {
  return leaf<T>((v) => {
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return { ok: true, value: v as T };
    const guess = typeof v === 'string' ? didYouMean(v, values) : undefined;
    const hint = guess !== undefined ? ` (did you mean ${quote(guess)}?)` : '';
    return { ok: false, message: expected(values.length === 1 ? quote(values[0]!) : `one of ${listOr(values.map(quote))}`, v) + hint };
  });
}

/** A duration in milliseconds; `positive` for the times a zero would break (a period, a timeout), else zero is allowed. */
function duration(min: 'zero' | 'positive') {
  return leaf<Duration, number>((v) => {
    const r = tryParseDuration(v);
    if (!r.ok) return r;
    if (min === 'positive' && r.ms <= 0) return { ok: false, message: expected(`a duration above zero such as ${DURATION_EXAMPLES}`, v) };
    return { ok: true, value: r.ms };
  });
}

/** maxSurge / maxUnavailable: a pod count or a whole-number percentage, as the Kubernetes API server accepts them. */
const intOrPercent = leaf<IntOrPercent>((v) => {
  if (Number.isSafeInteger(v) && (v as number) >= 0) return { ok: true, value: v as number };
  const m = typeof v === 'string' ? /^\s*(\d{1,3})%\s*$/.exec(v) : null;
  if (m !== null && Number(m[1]) <= 100) return { ok: true, value: `${Number(m[1])}%` };
  return { ok: false, message: expected('a pod count or a whole percentage from 0% to 100%, such as 1 or "25%"', v) };
});

// ---------------------------------------------------------------------------------------------------------------
// Structure

// zod reports all unknown keys of one mapping as one issue; the message carries one line per key, joined by this
// separator, and `resolveTopology` splits it into one issue per key so each is located (and ordered) at its own key.
const KEY_SEPARATOR = '\u001f';

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A mapping with exactly these keys (all optional unless the shape says otherwise). */
function mapping<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? iss.keys.map((k) => unknownKeyMessage(k, known)).join(KEY_SEPARATOR)
        : expected('a mapping', iss.input),
  });
}

function list<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, { error: (iss) => expected(what, iss.input) });
}

/** Drops the fields the input left out, so that spreading the result over the defaults keeps the defaults. */
function defined<T>(fields: { [K in keyof T]-?: T[K] | undefined }): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}

const seconds = (s: number | undefined): number | undefined => (s === undefined ? undefined : s * 1_000);

/**
 * A mapping whose keys depend on one of its values (a reconnect `policy`, a timeline event's action): `pick` says
 * which variant the input is, then that variant's strict mapping validates it. A key of another variant gets a
 * message saying so rather than a bare "unknown key".
 */
function variants<In, Out>(options: {
  what: string;
  variants: Record<string, { keys: readonly string[]; schema: z.ZodType<Out> }>;
  pick: (v: Record<string, unknown>) => { variant: string } | SchemaIssue;
  describe: (variant: string) => string;
}) {
  return z.custom<In>().transform((v, ctx): Out => {
    if (!isMapping(v)) {
      ctx.issues.push({ code: 'custom', message: expected(options.what, v), input: v });
      return z.NEVER;
    }
    const picked = options.pick(v);
    if (!('variant' in picked)) {
      ctx.issues.push({ code: 'custom', path: picked.path, message: picked.message, input: v });
      return z.NEVER;
    }
    const chosen = options.variants[picked.variant]!;
    const own: Record<string, unknown> = {};
    let misplaced = false;
    for (const [key, value] of Object.entries(v)) {
      const owner = Object.keys(options.variants).find((name) => options.variants[name]!.keys.includes(key));
      if (chosen.keys.includes(key) || owner === undefined) {
        own[key] = value; // an unknown key is left for the strict mapping to report, with its did-you-mean
      } else {
        misplaced = true;
        const takes = listOr(chosen.keys as string[]);
        ctx.issues.push({
          code: 'custom',
          path: [key],
          message: `unknown key ${quote(key)} for ${options.describe(picked.variant)}: expected ${takes} (${quote(key)} is a setting of ${options.describe(owner)})`,
          input: value,
        });
      }
    }
    const r = chosen.schema.safeParse(own);
    if (!r.success) {
      // already finalised (messages written): carried over as they are, with paths relative to this mapping
      for (const issue of r.error.issues) ctx.issues.push({ ...issue, input: undefined } as unknown as (typeof ctx.issues)[number]);
      return z.NEVER;
    }
    return misplaced ? z.NEVER : r.data;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Sections

const network = mapping({ minLatency: duration('zero').optional(), maxLatency: duration('zero').optional() }).transform((n) =>
  defined<PlatformParams['network']>({ minLatencyMs: n.minLatency, maxLatencyMs: n.maxLatency }),
);

type PolicyKind = ReconnectPolicy['kind'];
type PolicyOf<K extends PolicyKind> = Extract<ReconnectPolicy, { kind: K }>;
const POLICIES = [
  'fixed',
  'fibonacci',
  'exponential-full-jitter',
  'exponential-decorrelated-jitter',
] as const satisfies readonly PolicyKind[];

/** Per-policy defaults for fields a topology leaves out: the DESIGN §6 numbers (Fibonacci 1…144 s; jitter 1 s to 60 s). */
const POLICY_DEFAULTS: { [K in PolicyKind]: PolicyOf<K> } = {
  fixed: { kind: 'fixed', delayMs: 5_000 },
  fibonacci: { kind: 'fibonacci', capMs: 144_000 },
  'exponential-full-jitter': { kind: 'exponential-full-jitter', baseMs: 1_000, capMs: 60_000 },
  'exponential-decorrelated-jitter': { kind: 'exponential-decorrelated-jitter', baseMs: 1_000, capMs: 60_000 },
};

/** DEFAULTS' own reconnect settings when DEFAULTS uses this policy, else the policy's defaults. */
function policyDefaults<K extends PolicyKind>(kind: K): PolicyOf<K> {
  const d = DEFAULTS.delegates.reconnect;
  return (d.kind === kind ? d : POLICY_DEFAULTS[kind]) as PolicyOf<K>;
}

const exponentialPolicy = <K extends 'exponential-full-jitter' | 'exponential-decorrelated-jitter'>(kind: K) =>
  mapping({ policy: oneOf([kind]), base: duration('positive').optional(), cap: duration('positive').optional() }).transform((r) => {
    const d = policyDefaults(kind) as PolicyOf<'exponential-full-jitter' | 'exponential-decorrelated-jitter'>;
    return { kind, baseMs: r.base ?? d.baseMs, capMs: r.cap ?? d.capMs } as PolicyOf<K>;
  });

const reconnectVariants = {
  // `policy` may be left out: a lone `delay` can only mean the fixed policy
  fixed: mapping({ policy: oneOf(['fixed']).optional(), delay: duration('zero').optional() }).transform(
    (r): PolicyOf<'fixed'> => ({ kind: 'fixed', delayMs: r.delay ?? policyDefaults('fixed').delayMs }),
  ),
  fibonacci: mapping({ policy: oneOf(['fibonacci']), cap: duration('positive').optional() }).transform(
    (r): PolicyOf<'fibonacci'> => ({ kind: 'fibonacci', capMs: r.cap ?? policyDefaults('fibonacci').capMs }),
  ),
  'exponential-full-jitter': exponentialPolicy('exponential-full-jitter'),
  'exponential-decorrelated-jitter': exponentialPolicy('exponential-decorrelated-jitter'),
};

type ReconnectInput =
  | z.input<(typeof reconnectVariants)['fixed']>
  | z.input<(typeof reconnectVariants)['fibonacci']>
  | z.input<(typeof reconnectVariants)['exponential-full-jitter']>
  | z.input<(typeof reconnectVariants)['exponential-decorrelated-jitter']>;

const reconnect = variants<ReconnectInput, ReconnectPolicy>({
  what: 'a mapping such as { policy: fixed, delay: 5s }',
  variants: {
    fixed: { keys: ['policy', 'delay'], schema: reconnectVariants.fixed },
    fibonacci: { keys: ['policy', 'cap'], schema: reconnectVariants.fibonacci },
    'exponential-full-jitter': { keys: ['policy', 'base', 'cap'], schema: reconnectVariants['exponential-full-jitter'] },
    'exponential-decorrelated-jitter': { keys: ['policy', 'base', 'cap'], schema: reconnectVariants['exponential-decorrelated-jitter'] },
  },
  pick: (v) => {
    const policy = v.policy ?? 'fixed';
    if (typeof policy === 'string' && (POLICIES as readonly string[]).includes(policy)) return { variant: policy };
    const guess = typeof policy === 'string' ? didYouMean(policy, POLICIES) : undefined;
    return {
      path: ['policy'],
      message: expected(`one of ${listOr(POLICIES.map(quote))}`, policy) + (guess !== undefined ? ` (did you mean ${quote(guess)}?)` : ''),
    };
  },
  describe: (policy) => `policy ${policy}`,
});

const delegates = mapping({
  count: positiveInt.optional(),
  startSpread: duration('zero').optional(),
  reconnect: reconnect.optional(),
  socketOpenTimeout: duration('positive').optional(),
  restClientTimeout: duration('positive').optional(),
  registrationRetry: duration('positive').optional(),
  heartbeatInterval: duration('positive').optional(),
  heartbeatTimeout: duration('positive').optional(),
  livenessProbe: mapping({
    healthCacheTtl: duration('zero').optional(),
    period: duration('positive').optional(),
    failureThreshold: positiveInt.optional(),
  }).optional(),
  podRestart: duration('zero').optional(),
  tasks: mapping({
    acquireAttempts: positiveInt.optional(),
    resultAttempts: positiveInt.optional(),
    runMedian: duration('positive').optional(),
    runSigma: nonNegativeNumber.optional(),
  }).optional(),
}).transform((d) =>
  defined<DelegateParams>({
    count: d.count,
    startSpreadMs: d.startSpread,
    reconnect: d.reconnect,
    socketOpenTimeoutMs: d.socketOpenTimeout,
    restClientTimeoutMs: d.restClientTimeout,
    registrationRetryMs: d.registrationRetry,
    heartbeatIntervalMs: d.heartbeatInterval,
    heartbeatTimeoutMs: d.heartbeatTimeout,
    healthCacheTtlMs: d.livenessProbe?.healthCacheTtl,
    livenessPeriodMs: d.livenessProbe?.period,
    livenessFailureThreshold: d.livenessProbe?.failureThreshold,
    podRestartMs: d.podRestart,
    taskAcquireAttempts: d.tasks?.acquireAttempts,
    taskResultAttempts: d.tasks?.resultAttempts,
    taskRunMedianMs: d.tasks?.runMedian,
    taskRunSigma: d.tasks?.runSigma,
  }),
);

/** router.pool, and the partial pool a router rollout brings (same keys). */
const pool = mapping({
  mode: oneOf(['elastic', 'fixed']).optional(),
  maxConnections: positiveInt.optional(),
  pendingAcquireMaxCount: nonNegativeInt.optional(),
  pendingAcquireTimeout: duration('positive').optional(),
  cancelAbandonedAcquires: bool.optional(),
  staleConnectionRelease: duration('zero').optional(),
  connectionSetup: duration('zero').optional(),
  maxIdleTime: duration('zero').optional(),
}).transform((p) =>
  defined<PoolParams>({
    mode: p.mode,
    maxConnections: p.maxConnections,
    pendingAcquireMaxCount: p.pendingAcquireMaxCount,
    pendingAcquireTimeoutMs: p.pendingAcquireTimeout,
    cancelAbandonedAcquires: p.cancelAbandonedAcquires,
    staleConnectionReleaseMs: p.staleConnectionRelease,
    connectionSetupMs: p.connectionSetup,
    maxIdleTimeMs: p.maxIdleTime,
  }),
);

/** A Deployment's spec.strategy plus spec.minReadySeconds, as in a Kubernetes manifest. */
const strategy = mapping({
  rollingUpdate: mapping({ maxSurge: intOrPercent.optional(), maxUnavailable: intOrPercent.optional() }).optional(),
  minReadySeconds: nonNegativeInt.optional(),
}).transform((s) =>
  defined<RolloutStrategy>({
    maxSurge: s.rollingUpdate?.maxSurge,
    maxUnavailable: s.rollingUpdate?.maxUnavailable,
    minReadyMs: seconds(s.minReadySeconds),
  }),
);

/** A HorizontalPodAutoscaler: spec.minReplicas / maxReplicas, the target, and spec.behavior. */
const autoscaling = mapping({
  enabled: bool.optional(),
  minReplicas: positiveInt.optional(),
  maxReplicas: positiveInt.optional(),
  targetUtilization: utilization.optional(),
  syncPeriod: duration('positive').optional(),
  metricLag: duration('zero').optional(),
  behavior: mapping({
    scaleUp: mapping({ pods: positiveInt.optional(), percent: positiveInt.optional(), period: duration('positive').optional() }).optional(),
    scaleDown: mapping({ stabilizationWindow: duration('zero').optional() }).optional(),
  }).optional(),
}).transform((a) =>
  defined<AutoscalingParams>({
    enabled: a.enabled,
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    targetUtilization: a.targetUtilization,
    syncPeriodMs: a.syncPeriod,
    metricLagMs: a.metricLag,
    scaleUpPods: a.behavior?.scaleUp?.pods,
    scaleUpPercent: a.behavior?.scaleUp?.percent,
    scaleUpPeriodMs: a.behavior?.scaleUp?.period,
    scaleDownStabilizationMs: a.behavior?.scaleDown?.stabilizationWindow,
  }),
);

/** A section whose nested objects are themselves partial, to be spread over the defaults one level down. */
type PartialSection<T, Nested extends keyof T> = Omit<T, Nested> & { [K in Nested]: Partial<T[K]> };

const router = mapping({
  replicas: positiveInt.optional(),
  pool: pool.optional(),
  readinessDelay: duration('zero').optional(),
  terminationGracePeriod: duration('zero').optional(),
  strategy: strategy.optional(),
  autoscaling: autoscaling.optional(),
}).transform((r) =>
  defined<PartialSection<RouterParams, 'pool' | 'strategy' | 'autoscaling'>>({
    replicas: r.replicas,
    pool: r.pool,
    readinessDelayMs: r.readinessDelay,
    terminationGracePeriodMs: r.terminationGracePeriod,
    strategy: r.strategy,
    autoscaling: r.autoscaling,
  }),
);

const manager = mapping({
  replicas: positiveInt.optional(),
  workers: positiveInt.optional(),
  serviceTimes: mapping({
    upgrade: duration('zero').optional(),
    registration: duration('zero').optional(),
    rest: duration('zero').optional(),
    expire: duration('zero').optional(),
  }).optional(),
  heartbeatLoadPer1000: nonNegativeNumber.optional(),
  disconnectAfter: duration('positive').optional(),
  readinessDelay: duration('zero').optional(),
  terminationGracePeriod: duration('zero').optional(),
  strategy: strategy.optional(),
}).transform((m) =>
  defined<PartialSection<ManagerParams, 'strategy'>>({
    replicas: m.replicas,
    workers: m.workers,
    upgradeServiceMs: m.serviceTimes?.upgrade,
    registrationServiceMs: m.serviceTimes?.registration,
    restServiceMs: m.serviceTimes?.rest,
    expireServiceMs: m.serviceTimes?.expire,
    heartbeatLoadPer1000: m.heartbeatLoadPer1000,
    disconnectAfterMs: m.disconnectAfter,
    readinessDelayMs: m.readinessDelay,
    terminationGracePeriodMs: m.terminationGracePeriod,
    strategy: m.strategy,
  }),
);

const workload = mapping({
  pipelinesPerMinute: nonNegativeNumber.optional(),
  tasksPerPipeline: nonNegativeInt.optional(),
  secretsPerTask: nonNegativeInt.optional(),
  apiRequestsPerSecond: nonNegativeNumber.optional(),
  clientAttempts: positiveInt.optional(),
  clientRetryDelay: duration('zero').optional(),
  clientTimeout: duration('positive').optional(),
}).transform((w) =>
  defined<WorkloadParams>({
    pipelinesPerMinute: w.pipelinesPerMinute,
    tasksPerPipeline: w.tasksPerPipeline,
    secretsPerTask: w.secretsPerTask,
    apiRequestsPerSecond: w.apiRequestsPerSecond,
    apiClientAttempts: w.clientAttempts,
    clientTimeoutMs: w.clientTimeout,
    apiRetryDelayMs: w.clientRetryDelay,
  }),
);

const validationGate = mapping({
  enabled: bool.optional(),
  window: duration('positive').optional(),
  minConnectedFraction: fraction.optional(),
  breachFor: duration('zero').optional(),
}).transform((g) =>
  defined<ValidationGateParams>({
    enabled: g.enabled,
    windowMs: g.window,
    minConnectedFraction: g.minConnectedFraction,
    breachForMs: g.breachFor,
  }),
);

// ---------------------------------------------------------------------------------------------------------------
// Timeline: each event is a mapping with `at`, exactly one action key, the action's own keys and an optional label.

const EVENT_ACTIONS = ['rollout', 'rollback', 'kill', 'partition', 'latencySpike', 'loadSpike'] as const;
type EventAction = (typeof EVENT_ACTIONS)[number];

const target = oneOf(['router', 'manager']);
const at = duration('zero');
const label = nonEmptyText.optional();

/** "mode fixed, maxConnections 520": a rollout's pool in the words of the topology, for its generated label. */
function describePool(p: Partial<PoolParams>): string {
  return Object.entries(p)
    .map(([k, v]) => (k.endsWith('Ms') ? `${k.slice(0, -2)} ${formatDuration(v as number)}` : `${k} ${String(v)}`))
    .join(', ');
}

const eventVariants = {
  rollout: mapping({ at, rollout: target, pool: pool.optional(), label }).transform(
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
  kill: mapping({ at, kill: target, count: positiveInt.optional(), label }).transform((e): TimelineEvent => {
    const count = e.count ?? 1;
    return {
      atMs: e.at,
      kind: 'kill-pod',
      target: e.kill,
      count,
      label: e.label ?? `kill ${count} ${e.kill} pod${count === 1 ? '' : 's'}`,
    };
  }),
  partition: mapping({ at, partition: oneOf(['delegates-routers']), duration: duration('positive'), label }).transform(
    (e): TimelineEvent => ({
      atMs: e.at,
      kind: 'partition',
      durationMs: e.duration,
      label: e.label ?? `${e.partition} partition for ${formatDuration(e.duration)}`,
    }),
  ),
  latencySpike: mapping({ at, latencySpike: duration('positive'), duration: duration('positive'), label }).transform(
    (e): TimelineEvent => ({
      atMs: e.at,
      kind: 'latency-spike',
      extraLatencyMs: e.latencySpike,
      durationMs: e.duration,
      label: e.label ?? `latency spike +${formatDuration(e.latencySpike)} for ${formatDuration(e.duration)}`,
    }),
  ),
  loadSpike: mapping({ at, loadSpike: positiveNumber, duration: duration('positive'), label }).transform(
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

const timelineEvent = variants<TimelineEventInput, TimelineEvent>({
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

// ---------------------------------------------------------------------------------------------------------------
// The document

export const topologySchema = mapping({
  name: nonEmptyText.optional(),
  description: text.optional(),
  duration: duration('positive').optional(),
  sampleInterval: duration('positive').optional(),
  network: network.optional(),
  delegates: delegates.optional(),
  router: router.optional(),
  manager: manager.optional(),
  workload: workload.optional(),
  validationGate: validationGate.optional(),
  timeline: list(timelineEvent, 'a list of events').optional(),
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
  issues.push(...crossFieldIssues(input));
  if (issues.length > 0) return { ok: false, issues: inDocumentOrder(input, dedupe(issues)) };
  if (!parsed.success) throw new Error('resolveTopology: zod failed without issues'); // unreachable: narrows `parsed`
  return { ok: true, params: resolve(parsed.data) };
}

function resolve(t: z.output<typeof topologySchema>): PlatformParams {
  const d = structuredClone(DEFAULTS); // the result owns its objects: a caller mutating it must not change DEFAULTS
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

// ---------------------------------------------------------------------------------------------------------------
// Cross-field checks. They read the raw input, each using only values that are themselves valid (a bad value has its
// own issue already), so that they are reported together with the field-level problems rather than after them.

type Path = (string | number)[];

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
): SchemaIssue[] {
  if (lower === undefined || upper === undefined || upper >= lower) return [];
  const lowerName = String(lowerPath[lowerPath.length - 1]);
  const upperName = String(upperPath[upperPath.length - 1]);
  if (valueAt(input, upperPath) !== undefined) {
    const note = valueAt(input, lowerPath) === undefined ? ', the default' : '';
    return [{ path: upperPath, message: expected(`at least ${lowerName} (${show(lower)}${note})`, valueAt(input, upperPath)) }];
  }
  return [{ path: lowerPath, message: expected(`at most ${upperName} (${show(upper)}, the default)`, valueAt(input, lowerPath)) }];
}

const isZero = (v: IntOrPercent): boolean => v === 0 || v === '0%';

function crossFieldIssues(input: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
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

  const as = ['router', 'autoscaling'];
  const minReplicas = positiveIntAt(input, [...as, 'minReplicas'], D.router.autoscaling.minReplicas);
  const maxReplicas = positiveIntAt(input, [...as, 'maxReplicas'], D.router.autoscaling.maxReplicas);
  issues.push(...orderedPair(input, [...as, 'minReplicas'], [...as, 'maxReplicas'], minReplicas, maxReplicas, String));

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
          message: expected(`a time before the end of the run (duration ${formatDuration(durationMs)}${note})`, valueAt(e.raw, ['at'])),
        });
      }
    }
    for (const e of events) {
      if (e.action === 'rollout' && valueAt(e.raw, ['rollout']) === 'manager' && valueAt(e.raw, ['pool']) !== undefined) {
        issues.push({
          path: ['timeline', e.i, 'pool'],
          message: expected('no pool on a manager rollout (the pool is the router’s)', valueAt(e.raw, ['pool'])),
        });
      }
      if (e.action !== 'rollback' || e.atMs === undefined || Number.isNaN(e.atMs)) continue;
      const what = valueAt(e.raw, ['rollback']);
      if (what !== 'router' && what !== 'manager') continue;
      const rollouts = events.filter((r) => r.action === 'rollout' && valueAt(r.raw, ['rollout']) === what);
      if (rollouts.some((r) => r.atMs === undefined || Number.isNaN(r.atMs))) continue; // cannot tell: its `at` has its own issue
      const before = rollouts.some((r) => r.atMs! < e.atMs! || (r.atMs === e.atMs && r.i < e.i));
      if (!before) {
        issues.push({
          path: ['timeline', e.i, 'rollback'],
          message: `expected a ${what} rollout before this rollback (at or before ${formatDuration(e.atMs)}), got none: there is nothing to roll back`,
        });
      }
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting order

function pathKey(path: Path): string {
  return JSON.stringify(path);
}

/** `router.pool.maxConnections`, `timeline[2].at`; keys that are not identifiers are quoted: `router["max conn"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${quote(seg)}]`;
  }
  return out;
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${pathKey(i.path)}\n${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Sorts issues the way the input is written (zod reports them in schema order): each issue goes at the position of
 * its path in a depth-first walk of the input, or of the nearest ancestor that exists (a missing required field).
 */
function inDocumentOrder(input: unknown, issues: SchemaIssue[]): SchemaIssue[] {
  const position = new Map<string, number>();
  const seen = new Set<object>();
  const visit = (v: unknown, path: Path): void => {
    position.set(pathKey(path), position.size);
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) for (const [i, item] of v.entries()) visit(item, [...path, i]);
    else for (const [k, item] of Object.entries(v)) visit(item, [...path, k]);
  };
  visit(input, []);
  const rank = (path: Path): number => {
    for (let n = path.length; n >= 0; n--) {
      const p = position.get(pathKey(path.slice(0, n)));
      if (p !== undefined) return p;
    }
    return 0;
  };
  return issues
    .map((issue, i) => ({ issue, i, r: rank(issue.path) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.issue);
}
