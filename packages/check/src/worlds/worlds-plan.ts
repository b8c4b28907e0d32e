/**
 * The worlds of a worlds file: every combination of its assumptions' values
 * (the first assumption varies slowest, so worlds sharing a first value sit
 * together), and each topology of the file resolved in each world.
 *
 * A world sets each assumption's field in every topology document, then the
 * topology schema resolves the document again: a path or value that does not
 * fit gets the loader's own message, naming the world and the assumption.
 * Everything is resolved before anything runs.
 */
import { type PlatformParams, parseTopology, TopologyError } from '@stampede/model';
import { copyDocument, rolloutPoolOverrides, setPath } from '../document-edit.ts';
import { isMapping } from '../file-values.ts';
import { unjudgeable } from '../oracle.ts';
import { formatPathSegments } from '../sweep-axis.ts';
import { WorldsError } from './worlds-error.ts';
import { specTopologies, type WorldsSpec, type WorldsTopology } from './worlds-file.ts';

export interface World {
  /** 0-based, in the order described above */
  index: number;
  /** `w7` */
  id: string;
  /** the value index chosen for each assumption, in the file's order */
  choice: number[];
}

export interface WorldsPlan {
  spec: WorldsSpec;
  worlds: World[];
  /** params[world.index][topology name] */
  params: Record<string, PlatformParams>[];
}

/** Every world of the spec, first assumption slowest. */
export function enumerateWorlds(spec: WorldsSpec): World[] {
  const sizes = spec.assumptions.map((a) => a.values.length);
  const count = sizes.reduce((n, s) => n * s, 1);
  return Array.from({ length: count }, (_, index) => {
    const choice: number[] = [];
    let rest = index;
    for (let i = sizes.length - 1; i >= 0; i--) {
      choice[i] = rest % sizes[i]!;
      rest = Math.floor(rest / sizes[i]!);
    }
    return { index, id: `w${index + 1}`, choice };
  });
}

/** `cancel-on-give-up=false, idle-eviction=60s`: a world in words. */
export function describeWorld(spec: WorldsSpec, world: World): string {
  return spec.assumptions.map((a, i) => `${a.name}=${a.labels[world.choice[i]!]}`).join(', ');
}

/**
 * Resolves every topology in every world. `documents` holds each topology's document as written (by name); a
 * WorldsError names the world, the assumption and the topology when one does not resolve, or when a router rollout
 * of a topology overrides an assumption's `router.pool.<key>` (the assumption would not reach the pods it is about).
 */
export function planWorlds(spec: WorldsSpec, documents: Record<string, unknown>): WorldsPlan {
  const topologies = specTopologies(spec);
  for (const t of topologies) if (!(t.name in documents)) throw new Error(`planWorlds: no document for topology "${t.name}"`);
  checkPaths(spec, topologies, documents);
  checkOverrides(spec, topologies, documents);
  const worlds = enumerateWorlds(spec);
  const params = worlds.map((world) => {
    const out: Record<string, PlatformParams> = {};
    for (const t of topologies) {
      const doc = copyDocument(documents[t.name]);
      spec.assumptions.forEach((a, i) => {
        setPath(doc, a.segments, copyDocument(a.values[world.choice[i]!]));
      });
      try {
        out[t.name] = parseTopology(doc, t.written);
      } catch (err) {
        if (!(err instanceof TopologyError)) throw err;
        const first = err.issues[0];
        const culprit = spec.assumptions.find((a) => first?.path.startsWith(a.path));
        const issues = err.issues
          .slice(0, 3)
          .map((x) => `${x.path === '' ? '' : `${x.path}: `}${x.message}`)
          .join('; ');
        throw new WorldsError(
          `${spec.source}: in world ${world.id} (${describeWorld(spec, world)}), ${t.written} does not resolve: ${issues}` +
            (culprit === undefined
              ? ''
              : `; check the values of assumption "${culprit.name}" (${culprit.path}: ${culprit.labels.join(', ')})`),
        );
      }
    }
    for (const name of judgedRuns(spec)) {
      const problem = unjudgeable(out[name]!);
      if (problem !== undefined)
        throw new WorldsError(
          `${spec.source}: the oracle cannot judge ${specTopologies(spec).find((t) => t.name === name)!.written} (${name === spec.incident.name ? 'the incident' : `"${name}"`}) in world ${world.id}: ${problem}`,
        );
    }
    return out;
  });
  return { spec, worlds, params };
}

/** An assumption's path must reach into each document: a list index needs the list and the item (sweep checks the same). */
function checkPaths(spec: WorldsSpec, topologies: readonly WorldsTopology[], documents: Record<string, unknown>): void {
  for (const a of spec.assumptions)
    for (const t of topologies) {
      let v: unknown = documents[t.name];
      for (const [i, seg] of a.segments.entries()) {
        if (v === undefined || v === null) {
          if (typeof seg === 'number')
            throw new WorldsError(
              `${spec.source}: assumption "${a.name}" sets ${a.path}, but ${t.written} has no ${formatPathSegments(a.segments.slice(0, i))}, so no item [${seg}] in it`,
            );
          break; // missing mappings are created; the schema then says whether the key exists
        }
        if (typeof seg === 'number') {
          if (!Array.isArray(v) || seg >= v.length)
            throw new WorldsError(
              `${spec.source}: assumption "${a.name}" sets ${a.path}, but in ${t.written} ${formatPathSegments(a.segments.slice(0, i))} ${Array.isArray(v) ? `has ${v.length} item${v.length === 1 ? '' : 's'}${v.length > 0 ? ` ([0] to [${v.length - 1}])` : ''}, so there is no [${seg}]` : 'is not a list'}`,
            );
          v = v[seg];
        } else v = isMapping(v) ? v[seg] : undefined;
      }
    }
}

/** The runs the oracle judges: the incident and every action (the scoreboard), and those a verdict observation names. */
function judgedRuns(spec: WorldsSpec): string[] {
  const names = [spec.incident.name, ...spec.actions.map((a) => a.name)];
  for (const o of spec.observations) if (o.criterion.kind === 'verdict' && !names.includes(o.run)) names.push(o.run);
  return names;
}

function checkOverrides(spec: WorldsSpec, topologies: readonly WorldsTopology[], documents: Record<string, unknown>): void {
  for (const a of spec.assumptions) {
    const s = a.segments;
    if (s.length !== 3 || s[0] !== 'router' || s[1] !== 'pool') continue;
    const key = String(s[2]);
    for (const t of topologies) {
      const o = rolloutPoolOverrides(documents[t.name], key)[0];
      if (o === undefined) continue;
      throw new WorldsError(
        `${spec.source}: assumption "${a.name}" sets ${a.path}, but in ${t.written} the router rollout timeline[${o.index}] (at ${String(o.at)}) sets pool.${key}: ${String(o.value)} for every pod it starts, so the assumption would not reach the pods the storm hits; drop pool.${key} from that rollout (it then inherits router.pool.${key}) or leave this assumption out`,
      );
    }
  }
}
