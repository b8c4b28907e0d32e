/**
 * delegates.reconnect: the reconnect policy, one variant per policy kind, with per-policy defaults.
 */
import type { z } from 'zod';
import { DEFAULTS } from '../defaults.ts';
import type { ReconnectPolicy } from '../params.ts';
import { duration, oneOf } from './leaves.ts';
import { didYouMean, expected, listOr, quote } from './messages.ts';
import { RANGES } from './ranges.ts';
import { mapping, variants } from './structure.ts';

export type PolicyKind = ReconnectPolicy['kind'];
export type PolicyOf<K extends PolicyKind> = Extract<ReconnectPolicy, { kind: K }>;
export const POLICIES = [
  'fixed',
  'fibonacci',
  'exponential-full-jitter',
  'exponential-decorrelated-jitter',
] as const satisfies readonly PolicyKind[];

/** Per-policy defaults for fields a topology leaves out: the numbers of docs/design.md, "The model" (Fibonacci 1…144 s; jitter 1 s to 60 s). */
const POLICY_DEFAULTS: { [K in PolicyKind]: PolicyOf<K> } = {
  fixed: { kind: 'fixed', delayMs: 5_000 },
  fibonacci: { kind: 'fibonacci', capMs: 144_000 },
  'exponential-full-jitter': { kind: 'exponential-full-jitter', baseMs: 1_000, capMs: 60_000 },
  'exponential-decorrelated-jitter': { kind: 'exponential-decorrelated-jitter', baseMs: 1_000, capMs: 60_000 },
};

/** DEFAULTS' own reconnect settings when DEFAULTS uses this policy, else the policy's defaults. */
export function policyDefaults<K extends PolicyKind>(kind: K): PolicyOf<K> {
  const d = DEFAULTS.delegates.reconnect;
  return (d.kind === kind ? d : POLICY_DEFAULTS[kind]) as PolicyOf<K>;
}

const exponentialPolicy = <K extends 'exponential-full-jitter' | 'exponential-decorrelated-jitter'>(kind: K) =>
  mapping({
    policy: oneOf([kind]),
    base: duration(RANGES.reconnectBase).optional(),
    cap: duration(RANGES.reconnectCap).optional(),
  }).transform((r) => {
    const d = policyDefaults(kind) as PolicyOf<'exponential-full-jitter' | 'exponential-decorrelated-jitter'>;
    return { kind, baseMs: r.base ?? d.baseMs, capMs: r.cap ?? d.capMs } as PolicyOf<K>;
  });

const reconnectVariants = {
  // `policy` may be left out: a lone `delay` can only mean the fixed policy
  fixed: mapping({ policy: oneOf(['fixed']).optional(), delay: duration(RANGES.reconnectDelay).optional() }).transform(
    (r): PolicyOf<'fixed'> => ({ kind: 'fixed', delayMs: r.delay ?? policyDefaults('fixed').delayMs }),
  ),
  fibonacci: mapping({ policy: oneOf(['fibonacci']), cap: duration(RANGES.reconnectCap).optional() }).transform(
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

export const reconnect = variants<ReconnectInput, ReconnectPolicy>({
  by: 'policy',
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
