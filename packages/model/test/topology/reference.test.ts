/**
 * The field reference is read off the schema: every field has words, every word has a field, each field sets the
 * parameter its words name, and docs/topology-reference.md is what the generator writes today.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  defaultParams,
  FIELD_DOCS,
  fieldDefault,
  type PlatformParams,
  parseTopology,
  type SchemaField,
  schemaFields,
  topologyReferenceMarkdown,
  topologySettings,
} from '../../src/index.ts';

const fields = schemaFields();

/** The one field valid only beside another: the spread of a lognormal service time. */
const SPREAD = 'manager.serviceTimes.spread';
/** Valid only with a router pool that has a limit: metric poolUtilization (cross-field.ts). */
const METRIC = 'router.autoscaling.metric';

/** A topology input with `value` at the field's path (and the policy a reconnect field needs). */
function inputWith(field: SchemaField, value: unknown): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  const keys = field.path.split('.');
  let at = root;
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
  if (field.path.startsWith('delegates.reconnect.') && !field.path.endsWith('.policy'))
    (at as Record<string, unknown>).policy = field.variant;
  if (field.path === SPREAD) at.distribution = 'lognormal'; // a spread is an error on any other distribution
  if (field.path === METRIC) (root.router as Record<string, unknown>).pool = { mode: 'fixed' }; // poolUtilization needs a limit
  return root;
}

/** Valid values of a field to try, from what the schema says it accepts. */
function candidates(field: SchemaField): unknown[] {
  const { type, min, max, values } = field.info;
  if (type === 'boolean') return [true, false];
  if (type === 'choice') return [...(values ?? [])];
  if (type === 'string') return ['a name'];
  if (type === 'pods or percent') return [2, '50%'];
  if (min === undefined || max === undefined) return [];
  const mid = type === 'number' ? (min + max) / 2 : Math.round((min + max) / 2);
  return [min, max, mid, min + 1];
}

function changedParams(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? [] : [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => changedParams((a as never)[k], (b as never)[k], path === '' ? k : `${path}.${k}`));
}

describe('the field reference', () => {
  it('has words for every field of the schema and no words for a field it lacks', () => {
    const paths = new Set(fields.map((f) => f.path));
    expect(fields.length).toBeGreaterThan(80);
    expect(fields.filter((f) => FIELD_DOCS[f.path] === undefined).map((f) => f.path)).toEqual([]);
    expect(Object.keys(FIELD_DOCS).filter((p) => !paths.has(p))).toEqual([]);
  });

  it.each(
    fields
      .filter((f) => FIELD_DOCS[f.path]?.param !== undefined && !f.path.endsWith('.policy'))
      .map((f) => [`${f.path}${f.variant ? ` (${f.variant})` : ''}`, f] as const),
  )('%s sets the parameter its words name, and only that one', (_, field) => {
    const param = FIELD_DOCS[field.path]!.param!;
    const base =
      field.path.startsWith('delegates.reconnect.') || field.path === SPREAD || field.path === METRIC
        ? parseTopology(inputWith(field, undefined))
        : DEFAULTS;
    let tried = 0;
    for (const value of candidates(field)) {
      let params: PlatformParams;
      try {
        params = parseTopology(inputWith(field, value));
      } catch {
        continue; // outside a cross-field rule (e.g. maxReplicas below minReplicas): try another value
      }
      const changed = changedParams(base, params);
      if (changed.length === 0) continue; // the default itself
      expect(changed).toEqual([param]);
      tried++;
      // and the settings table shows it under the field's own path, as not the default
      const row = topologySettings(params).find((r) => r.path === field.path);
      expect(row).toMatchObject({ isDefault: false });
    }
    expect(tried).toBeGreaterThan(0);
  });

  it('shows the defaults as defaults, in the words of a topology file', () => {
    const rows = topologySettings(defaultParams());
    expect(rows.every((r) => r.isDefault)).toBe(true);
    expect(rows).toContainEqual({ path: 'router.pool.pendingAcquireTimeout', value: '45s', isDefault: true });
    expect(rows).toContainEqual({ path: 'router.strategy.minReadySeconds', value: '0', isDefault: true });
    expect(rows).toContainEqual({ path: 'delegates.reconnect.delay', value: '5s', isDefault: true });
    expect(rows.some((r) => r.path.includes('Ms'))).toBe(false);
  });

  it('gives each reconnect policy its own defaults', () => {
    const byVariant = (path: string, variant: string) => fieldDefault(fields.find((f) => f.path === path && f.variant === variant)!);
    expect(byVariant('delegates.reconnect.cap', 'fibonacci')).toBe('2m24s');
    expect(byVariant('delegates.reconnect.cap', 'exponential-full-jitter')).toBe('1m');
    expect(byVariant('delegates.reconnect.delay', 'fixed')).toBe('5s');
  });

  it('docs/topology-reference.md is up to date (regenerate it with pnpm docs:fields)', () => {
    const file = readFileSync(new URL('../../../../docs/topology-reference.md', import.meta.url), 'utf8');
    expect(file).toBe(topologyReferenceMarkdown());
  });
});
