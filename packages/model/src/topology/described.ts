/**
 * What each part of the topology schema accepts, in words, kept beside the schema objects themselves so that the
 * field reference (fields.ts, reference.ts) is read off the schema and cannot drift from it. A leaf builder
 * (leaves.ts) registers its schema with a `LeafInfo`; a mapping whose keys depend on a value (structure.ts
 * `variants`) registers its variants. zod keeps neither: its own `.meta()` lives on one wrapper and is lost in
 * `.transform()` and `.optional()`, which the reference walks through.
 */
import type { z } from 'zod';

export type LeafType = 'duration' | 'integer' | 'number' | 'boolean' | 'string' | 'choice' | 'pods or percent' | 'mapping';

export interface LeafInfo {
  type: LeafType;
  /** the accepted values in words, e.g. `1s … 1h`, `elastic | fixed` */
  accepts: string;
  /** why the range is what it is (ranges.ts), when it has one */
  why?: string;
  /** the bounds, in the resolved unit (milliseconds for a duration), when the field has them */
  min?: number;
  max?: number;
  /** the accepted words of a choice */
  values?: readonly string[];
}

export interface VariantsInfo {
  /** the key and value that pick the variant, in words, e.g. `policy` */
  by: string;
  variants: Record<string, { keys: readonly string[]; schema: z.ZodType }>;
}

const leaves = new WeakMap<object, LeafInfo>();
const variantSets = new WeakMap<object, VariantsInfo>();

/** Registers `schema` as a leaf accepting `info`; returns it. */
export function describedLeaf<T extends z.ZodType>(schema: T, info: LeafInfo): T {
  leaves.set(schema, info);
  return schema;
}

export function describedVariants<T extends z.ZodType>(schema: T, info: VariantsInfo): T {
  variantSets.set(schema, info);
  return schema;
}

export const leafInfoOf = (schema: object): LeafInfo | undefined => leaves.get(schema);
export const variantsInfoOf = (schema: object): VariantsInfo | undefined => variantSets.get(schema);
