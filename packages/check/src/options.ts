/**
 * The oracle's settings (docs/design.md, "The oracle"), all optional with documented defaults.
 * Resolved and validated once by `resolveOracleOptions`.
 */
import type { EngineName } from '@stampede/kernel';
import { StampedeInputError } from '@stampede/kernel';

/** The kernel's engines, for validating `engine` (the kernel exports the type only). */
const ENGINES: readonly EngineName[] = ['compiled', 'xstate'];

export interface OracleOptions {
  /** connected fraction that counts as recovered (X). @defaultValue 0.99 */
  connectedThreshold?: number;
  /** goodput may be this much below the baseline and still count as recovered (ε). @defaultValue 0.05 */
  goodputTolerance?: number;
  /** recovery must hold this long (W). @defaultValue 10 min */
  holdMs?: number;
  /** time after the trigger window ends (t₁) to recover (T). @defaultValue 15 min */
  deadlineMs?: number;
  /** acquire timeouts per minute still counted as "≈ 0". @defaultValue 1 */
  acquireTimeoutsPerMinTolerance?: number;
  /** a connected fraction rising at least this much per minute before the deadline is "trending to recovery". @defaultValue 0.005 */
  slowTrendPerMin?: number;
  /** the trigger window ends at the latest this long after the last timeline event (rollouts that never finish). @defaultValue 30 min */
  maxTriggerWindowMs?: number;
  /**
   * what runs the actors' machines in both of the oracle's runs (the judged run and the control run): 'compiled'
   * (fast) or 'xstate' (xstate's own interpreter, the reference); the same trace hash and verdict either way.
   * @defaultValue 'compiled'
   */
  engine?: EngineName;
  /**
   * judge the timeline's `rollback` events too. By default the oracle leaves them out (does the platform come back
   * by itself?); `stampede whatif` keeps a rollback tried as an emergency action, having removed the file's own.
   * @defaultValue false
   */
  keepRollbacks?: boolean;
}

export type ResolvedOracleOptions = Required<OracleOptions>;

const DEFAULTS: ResolvedOracleOptions = {
  connectedThreshold: 0.99,
  goodputTolerance: 0.05,
  holdMs: 10 * 60_000,
  deadlineMs: 15 * 60_000,
  acquireTimeoutsPerMinTolerance: 1,
  slowTrendPerMin: 0.005,
  maxTriggerWindowMs: 30 * 60_000,
  engine: 'compiled',
  keepRollbacks: false,
};

export function resolveOracleOptions(options: OracleOptions = {}): ResolvedOracleOptions {
  // engine: undefined is the default (callers pass a command line's optional value straight through)
  const r = { ...DEFAULTS, ...options, engine: options.engine ?? DEFAULTS.engine };
  if (!ENGINES.includes(r.engine))
    throw new StampedeInputError(
      `oracle option engine must be ${ENGINES.map((e) => `'${e}'`).join(' or ')}, got ${JSON.stringify(r.engine)}`,
    );
  const fraction = (name: keyof OracleOptions, v: number) => {
    if (!(v >= 0 && v <= 1)) throw new StampedeInputError(`oracle option ${name} must be between 0 and 1, got ${v}`);
  };
  const positive = (name: keyof OracleOptions, v: number) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new StampedeInputError(`oracle option ${name} must be a finite number > 0, got ${v}`);
  };
  fraction('connectedThreshold', r.connectedThreshold);
  fraction('goodputTolerance', r.goodputTolerance);
  positive('holdMs', r.holdMs);
  positive('deadlineMs', r.deadlineMs);
  positive('maxTriggerWindowMs', r.maxTriggerWindowMs);
  if (!(r.acquireTimeoutsPerMinTolerance >= 0))
    throw new StampedeInputError(`oracle option acquireTimeoutsPerMinTolerance must be >= 0, got ${r.acquireTimeoutsPerMinTolerance}`);
  if (!(r.slowTrendPerMin > 0)) throw new StampedeInputError(`oracle option slowTrendPerMin must be > 0, got ${r.slowTrendPerMin}`);
  return r;
}
