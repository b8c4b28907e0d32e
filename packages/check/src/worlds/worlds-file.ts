/**
 * A worlds file: the assumptions a model cannot check, each with the values
 * that are plausible, and what was observed, as checks on runs. Every
 * combination of assumption values is a world (worlds-plan.ts); calibration
 * keeps the worlds in which every observation holds (calibration.ts), and the
 * robust scoreboard judges each action in each of those (robust-scoreboard.ts).
 *
 * This module reads and validates the file into a `WorldsSpec`: the shape with
 * zod, then the cross-references (an observation's run must be a topology of the
 * file, names must be unique). Paths of topology files are resolved against the
 * worlds file's directory; reading those files is the caller's business.
 */
import { dirname, resolve } from 'node:path';
import { didYouMean, parseDuration, readTopologyYaml, TopologyError } from '@stampede/model';
import { z } from 'zod';
import { VERDICT_KINDS, type VerdictKind } from '../oracle.ts';
import { formatPathSegments, type PathSegment, parsePath } from '../sweep-axis.ts';
import { WorldsError } from './worlds-error.ts';

/** The most worlds a file may describe (the product of its assumptions' value counts). */
export const MAX_WORLDS = 256;
export const MAX_SEEDS = 20;
export const MAX_ASSUMPTIONS = 12;
/** A worlds file is a few KB; anything near this is a mistake. */
export const MAX_WORLDS_FILE_CHARS = 262_144;

/** A moment of a run: an event of it plus an offset. */
export interface TimeRef {
  /** `start` (0), `trigger` (the first timeline event), `storm` (connected first below 90% after the trigger), `rollback` (the first rollback), `end` */
  anchor: 'start' | 'trigger' | 'storm' | 'rollback' | 'end';
  offsetMs: number;
  /** as written: `rollback+10m` */
  text: string;
}

/** Every sample of the connected fraction from `from` to `until` is below (or at least) `threshold`. */
export interface ConnectedCriterion {
  kind: 'connected';
  op: 'below' | 'atLeast';
  threshold: number;
  from: TimeRef;
  until: TimeRef;
}

/** The oracle's verdict on the run (manual rollbacks left out) is one of `allowed`. */
export interface VerdictCriterion {
  kind: 'verdict';
  allowed: VerdictKind[];
}

export interface Observation {
  name: string;
  /** a topology name of the file */
  run: string;
  criterion: ConnectedCriterion | VerdictCriterion;
}

export interface Assumption {
  name: string;
  question: string;
  /** the topology field, canonical: `router.pool.maxIdleTime` */
  path: string;
  segments: PathSegment[];
  /** as the file writes them (plain data) */
  values: unknown[];
  /** each value as one short line: `false`, `60s`, `{policy: fibonacci, cap: 144s}` */
  labels: string[];
}

export interface WorldsTopology {
  name: string;
  /** resolved against the worlds file's directory */
  file: string;
  /** as the worlds file writes it */
  written: string;
}

export interface WorldsSpec {
  name: string;
  description: string;
  /** the worlds file as given */
  source: string;
  seeds: number[];
  /** the run the observations describe and the robust scoreboard compares against */
  incident: WorldsTopology;
  /** other runs observations may name (e.g. a baseline) */
  references: WorldsTopology[];
  /** judged on the robust scoreboard, in the file's order */
  actions: WorldsTopology[];
  assumptions: Assumption[];
  observations: Observation[];
}

const TIME_ANCHORS = ['start', 'trigger', 'storm', 'rollback', 'end'] as const;
const TIME_SYNTAX = 'a duration (12m) or an event with an optional offset: start, trigger, storm, rollback, end (e.g. rollback+10m)';

function parseTimeRef(text: string): TimeRef | string {
  const t = text.trim();
  const m = /^([a-z]+)\s*(?:([+-])\s*(.+))?$/.exec(t);
  if (m !== null && (TIME_ANCHORS as readonly string[]).includes(m[1]!)) {
    let offsetMs = 0;
    if (m[3] !== undefined) {
      try {
        offsetMs = parseDuration(m[3]) * (m[2] === '-' ? -1 : 1);
      } catch (err) {
        return `"${t}": the offset "${m[3]}" is not a duration (${(err as Error).message})`;
      }
    }
    return { anchor: m[1] as TimeRef['anchor'], offsetMs, text: t };
  }
  try {
    return { anchor: 'start', offsetMs: parseDuration(t), text: t };
  } catch {
    return `"${t}" is not ${TIME_SYNTAX}`;
  }
}

const name = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');
const timeRef = z
  .union([z.string(), z.number()], { error: (iss) => (iss.input === undefined ? 'missing; add it' : `must be ${TIME_SYNTAX}`) })
  .transform((v, ctx) => {
    const r = parseTimeRef(String(v));
    if (typeof r === 'string') {
      ctx.addIssue({ code: 'custom', message: r });
      return z.NEVER;
    }
    return r;
  });
const fraction = z.number().min(0, 'must be a fraction from 0 to 1').max(1, 'must be a fraction from 0 to 1');
const connected = z
  .strictObject({ below: fraction.optional(), atLeast: fraction.optional(), from: timeRef, until: timeRef })
  .superRefine((c, ctx) => {
    if ((c.below === undefined) === (c.atLeast === undefined))
      ctx.addIssue({ code: 'custom', message: 'must have exactly one of below: FRACTION or atLeast: FRACTION (with from and until)' });
  })
  .transform((c) =>
    c.below !== undefined
      ? { op: 'below' as const, threshold: c.below, from: c.from, until: c.until }
      : { op: 'atLeast' as const, threshold: c.atLeast!, from: c.from, until: c.until },
  );
const observation = z
  .strictObject({
    name,
    run: name,
    connected: connected.optional(),
    verdict: z
      .array(z.enum(VERDICT_KINDS, { message: `must be one of ${VERDICT_KINDS.join(', ')}` }))
      .min(1)
      .optional(),
  })
  .superRefine((o, ctx) => {
    if ((o.connected === undefined) === (o.verdict === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'must have exactly one check: connected: { below | atLeast: FRACTION, from, until } or verdict: [KINDS]',
      });
  });

const fileSchema = z.strictObject({
  name,
  description: z.string().default(''),
  seeds: z
    .array(
      z
        .number()
        .int('must be whole numbers')
        .min(0, 'must be ≥ 0')
        .max(2 ** 31 - 1, 'must be < 2^31'),
    )
    .min(1, 'must list at least one seed')
    .max(MAX_SEEDS, `must list at most ${MAX_SEEDS} seeds`),
  topologies: z.record(name, z.string().min(1, 'must be a file path')).refine((t) => 'incident' in t, {
    message: 'must name the `incident` topology (the run the observations describe), e.g. incident: ../topologies/prod4-incident.yaml',
  }),
  actions: z
    .record(name, z.string().min(1, 'must be a file path'))
    .refine((a) => Object.keys(a).length > 0, { message: 'must list at least one action: a name and its topology file' }),
  assumptions: z
    .array(
      z.strictObject({
        name,
        question: z.string().default(''),
        set: z.string(),
        values: z.array(z.unknown()).min(2, 'must list at least two values (one value is not an assumption: put it in the topologies)'),
      }),
    )
    .min(1, 'must list at least one assumption')
    .max(MAX_ASSUMPTIONS, `must list at most ${MAX_ASSUMPTIONS} assumptions`),
  observations: z.array(observation).min(1, 'must list at least one observation (calibration keeps the worlds that reproduce them)'),
});

/** `{policy: fibonacci, cap: 144s}`: a value on one line, as a flow-style YAML reader would recognise it. */
export function valueLabel(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(valueLabel).join(', ')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}: ${valueLabel(x)}`)
      .join(', ')}}`;
  return String(v);
}

const TOP_KEYS = ['name', 'description', 'seeds', 'topologies', 'actions', 'assumptions', 'observations'];

/** One zod issue in words a user can act on: a missing key says so, an unknown key gets a did-you-mean. */
function issueText(issue: z.core.$ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const where = path.length === 0 ? 'the file' : formatPathSegments(path);
  if (issue.code === 'unrecognized_keys') {
    const parentKey = [...path].reverse().find((p) => typeof p === 'string');
    const known =
      path.length === 0
        ? TOP_KEYS
        : parentKey === 'observations'
          ? ['name', 'run', 'connected', 'verdict']
          : parentKey === 'assumptions'
            ? ['name', 'question', 'set', 'values']
            : parentKey === 'connected'
              ? ['below', 'atLeast', 'from', 'until']
              : [];
    return issue.keys
      .map((k) => {
        const guess = didYouMean(k, known);
        return `${where}: unknown key "${k}"${guess === undefined ? '' : ` (did you mean "${guess}"?)`}`;
      })
      .join('\n  ');
  }
  if (issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined) return `${where}: missing; add it`;
  return `${where}: ${issue.message}`;
}

function zodIssues(source: string, error: z.ZodError): WorldsError {
  const lines = error.issues.slice(0, 8).map((i) => `  ${issueText(i)}`);
  const more = error.issues.length > 8 ? [`  … and ${error.issues.length - 8} more`] : [];
  return new WorldsError(`${source}: not a valid worlds file:\n${[...lines, ...more].join('\n')}`);
}

/** Parses and validates a worlds file's text; `source` (its path) names it in errors and anchors its topology paths. */
export function parseWorldsFile(text: string, source: string): WorldsSpec {
  if (text.length > MAX_WORLDS_FILE_CHARS)
    throw new WorldsError(
      `${source}: a worlds file of ${text.length} characters is too large (a worlds file is a few KB); is it the right file?`,
    );
  let doc: unknown;
  try {
    doc = readTopologyYaml(text, source);
  } catch (err) {
    if (err instanceof TopologyError) throw new WorldsError(`${source}: ${err.issues.map((i) => i.message).join('; ')}`);
    throw err;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    throw new WorldsError(`${source}: a worlds file is a YAML mapping with name, seeds, topologies, actions, assumptions and observations`);
  const parsed = fileSchema.safeParse(doc, { reportInput: true });
  if (!parsed.success) throw zodIssues(source, parsed.error);
  const f = parsed.data;
  const dir = dirname(source);
  const topology = (n: string, written: string): WorldsTopology => ({ name: n, file: resolve(dir, written), written });

  const problems: string[] = [];
  const topologyNames = new Set([...Object.keys(f.topologies), ...Object.keys(f.actions)]);
  for (const n of Object.keys(f.actions))
    if (Object.hasOwn(f.topologies, n)) problems.push(`actions.${n}: the name is also under topologies; give the action its own name`);
  if (new Set(f.seeds).size !== f.seeds.length) problems.push('seeds: a seed is listed twice');

  const assumptions: Assumption[] = [];
  const seenPaths = new Map<string, string>();
  for (const [i, a] of f.assumptions.entries()) {
    const segments = parsePath(a.set.trim());
    if (segments === undefined) {
      problems.push(`assumptions[${i}].set: "${a.set}" is not a topology path (e.g. router.pool.maxIdleTime)`);
      continue;
    }
    const path = formatPathSegments(segments);
    if (assumptions.some((x) => x.name === a.name)) problems.push(`assumptions[${i}].name: "${a.name}" is used twice`);
    const clash = [...seenPaths].find(([p]) => p === path || p.startsWith(`${path}.`) || path.startsWith(`${p}.`));
    if (clash !== undefined)
      problems.push(`assumptions[${i}].set: ${path} overlaps assumption "${clash[1]}" (${clash[0]}); merge them into one`);
    seenPaths.set(path, a.name);
    const labels = a.values.map(valueLabel);
    if (new Set(labels).size !== labels.length) problems.push(`assumptions[${i}].values: a value is listed twice`);
    assumptions.push({ name: a.name, question: a.question, path, segments, values: a.values, labels });
  }
  const worlds = assumptions.reduce((n, a) => n * a.values.length, 1);
  if (worlds > MAX_WORLDS)
    problems.push(
      `assumptions: ${assumptions.map((a) => a.values.length).join(' × ')} = ${worlds} worlds, more than ${MAX_WORLDS}; drop values or assumptions the observations already settle`,
    );

  const observations: Observation[] = f.observations.map((o, i) => {
    if (!topologyNames.has(o.run))
      problems.push(`observations[${i}].run: "${o.run}" is not a topology of this file (${[...topologyNames].join(', ')})`);
    if (f.observations.findIndex((x) => x.name === o.name) !== i) problems.push(`observations[${i}].name: "${o.name}" is used twice`);
    if (o.connected !== undefined) return { name: o.name, run: o.run, criterion: { kind: 'connected', ...o.connected } };
    return { name: o.name, run: o.run, criterion: { kind: 'verdict', allowed: o.verdict! } };
  });
  if (problems.length > 0) throw new WorldsError(`${source}: not a valid worlds file:\n${problems.map((p) => `  ${p}`).join('\n')}`);

  return {
    name: f.name,
    description: f.description,
    source,
    seeds: f.seeds,
    incident: topology('incident', f.topologies.incident!),
    references: Object.entries(f.topologies)
      .filter(([n]) => n !== 'incident')
      .map(([n, p]) => topology(n, p)),
    actions: Object.entries(f.actions).map(([n, p]) => topology(n, p)),
    assumptions,
    observations,
  };
}

/** Every topology of the spec: the incident, the references, then the actions. */
export function specTopologies(spec: WorldsSpec): WorldsTopology[] {
  return [spec.incident, ...spec.references, ...spec.actions];
}

/** `connected below 50% from storm+2m until rollback` / `verdict recovered`: an observation's check in words. */
export function describeCriterion(c: Observation['criterion']): string {
  if (c.kind === 'verdict') return `oracle verdict ${c.allowed.join(' or ')}`;
  const pct = `${Number((c.threshold * 100).toFixed(2))}%`;
  return `connected ${c.op === 'below' ? 'below' : 'at least'} ${pct} from ${c.from.text} until ${c.until.text}`;
}
