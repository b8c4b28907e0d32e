/**
 * Structure: strict mappings (an unknown key suggests the known key it was probably meant to be), lists, and
 * mappings whose keys depend on one of their values (`variants`).
 */
import { z } from 'zod';
import { describedVariants } from './described.ts';
import { expected, listOr, quote, unknownKeyMessage } from './messages.ts';

/** One problem of a topology, located by its path in the input (keys and list indices). */
export interface SchemaIssue {
  path: (string | number)[];
  message: string;
}

// zod reports all unknown keys of one mapping as one issue; the message carries one line per key, joined by this
// separator, and `resolveTopology` splits it into one issue per key so each is located (and ordered) at its own key.
export const KEY_SEPARATOR = '\u001f';

export const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Unknown keys of one mapping that get a did-you-mean; a file of 100k unknown keys is a mistake of another kind. */
const MAX_GUESSES = 1_000;

/** A mapping with exactly these keys (all optional unless the shape says otherwise). */
export function mapping<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? // a guess for the first keys only: the rest are past what a report lists, and guessing costs per key
          iss.keys.map((k, i) => unknownKeyMessage(k, known, i < MAX_GUESSES)).join(KEY_SEPARATOR)
        : expected('a mapping', iss.input),
  });
}

export function list<T extends z.ZodType>(item: T, what: string, max: number) {
  return z
    .array(item, { error: (iss) => expected(what, iss.input) })
    .max(max, { error: (iss) => `expected ${what} of at most ${max}, got ${(iss.input as unknown[]).length}` });
}

/** Drops the fields the input left out, so that spreading the result over the defaults keeps the defaults. */
export function defined<T>(fields: { [K in keyof T]-?: T[K] | undefined }): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}

export const seconds = (s: number | undefined): number | undefined => (s === undefined ? undefined : s * 1_000);

/**
 * A mapping whose keys depend on one of its values (a reconnect `policy`, a timeline event's action): `pick` says
 * which variant the input is, then that variant's strict mapping validates it. A key of another variant gets a
 * message saying so rather than a bare "unknown key".
 */
export function variants<In, Out>(options: {
  what: string;
  /** what picks the variant, in words, for the field reference: `policy`, `the action key` */
  by: string;
  variants: Record<string, { keys: readonly string[]; schema: z.ZodType<Out> }>;
  pick: (v: Record<string, unknown>) => { variant: string } | SchemaIssue;
  describe: (variant: string) => string;
}) {
  const schema = z.custom<In>().transform((v, ctx): Out => {
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
  return describedVariants(schema, { by: options.by, variants: options.variants });
}
