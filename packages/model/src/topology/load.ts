/**
 * Loading topologies: from an object (`parseTopology`), YAML text (`loadTopologyText`) or a YAML file
 * (`loadTopologyFile`), each returning the resolved `PlatformParams`.
 *
 * Bad input, whatever its kind (unreadable file, YAML syntax, wrong values, unknown keys), throws one `TopologyError`
 * listing every problem found, each located by its path and, for YAML, its line. It is a user's mistake, not a bug:
 * the message is meant to be printed as it is, with no stack trace.
 */
import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { PlatformParams } from '../params.ts';
import { formatPath, resolveTopology, type SchemaIssue } from './schema.ts';

export interface TopologyIssue {
  /** where in the document: `router.pool.maxConnections`, `timeline[2].at`; empty for the document as a whole */
  path: string;
  /** what is wrong: the value found and what was expected, e.g. `expected a positive integer, got -5` */
  message: string;
  /** 1-based line and column in the YAML text, when the topology came from YAML */
  line?: number;
  column?: number;
}

/** Every problem of one topology. `message` is printable as is: `prod4.yaml: 2 problems:\n  - …\n  - …`. */
export class TopologyError extends Error {
  override readonly name = 'TopologyError';
  readonly source: string;
  readonly issues: TopologyIssue[];

  constructor(source: string, issues: TopologyIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`${source}: ${count}:\n${issues.map((i) => `  - ${renderIssue(i)}`).join('\n')}`);
    this.source = source;
    this.issues = issues;
  }
}

function renderIssue(issue: TopologyIssue): string {
  const where = issue.path === '' ? '' : `${issue.path}: `;
  const line = issue.line !== undefined && issue.path !== '' ? ` (line ${issue.line})` : '';
  return `${where}${issue.message}${line}`;
}

/** Validates a topology given as an object (a `TopologyInput`, or YAML/JSON already parsed) and resolves it. */
export function parseTopology(input: unknown, source = 'topology'): PlatformParams {
  const r = resolveTopology(input);
  if (!r.ok)
    throw new TopologyError(
      source,
      r.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    );
  return r.params;
}

/** Parses YAML text and resolves it; `source` (usually the file name) prefixes the error message. */
export function loadTopologyText(yamlText: string, source: string): PlatformParams {
  const { doc, lines, input } = parseYaml(yamlText, source);
  const r = resolveTopology(input);
  if (r.ok) return r.params;
  throw new TopologyError(
    source,
    r.issues.map((i) => ({ path: formatPath(i.path), message: i.message, ...locate(doc.contents, i, lines) })),
  );
}

/**
 * The YAML document as written, parsed into plain data but not validated: for tools that edit a topology before
 * resolving it with `parseTopology` (a sweep setting one field to each of its values). YAML errors throw as above.
 */
export function readTopologyYaml(yamlText: string, source: string): unknown {
  return parseYaml(yamlText, source).input;
}

function parseYaml(yamlText: string, source: string) {
  const lines = new LineCounter();
  // merge: `<<: *anchor` lets the router and manager share a strategy; duplicate keys are errors (uniqueKeys).
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new TopologyError(
      source,
      doc.errors.map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { path: '', message: `YAML syntax error at line ${line}, column ${col}: ${firstLine(e.message)}`, line, column: col };
      }),
    );
  }
  let input: unknown;
  try {
    input = doc.toJS({ maxAliasCount: 1_000 });
  } catch (err) {
    // e.g. an alias bomb or an unresolvable alias: still the document's fault
    throw new TopologyError(source, [
      { path: '', message: `invalid YAML: ${firstLine(err instanceof Error ? err.message : String(err))}` },
    ]);
  }
  return { doc, lines, input };
}

/** Reads and loads a YAML topology file; the path as given names it in errors. */
export function loadTopologyFile(path: string): PlatformParams {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String(code ?? err);
    throw new TopologyError(path, [{ path: '', message: `cannot read the topology file: ${why}` }]);
  }
  return loadTopologyText(text, path);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/**
 * The line and column of an issue's path in the YAML: the key of the deepest mapping entry (or list item) the path
 * reaches, so an unknown key points at itself and a missing field at its parent.
 */
function locate(root: unknown, issue: SchemaIssue, lines: LineCounter): { line?: number; column?: number } {
  let node: unknown = root;
  let offset = isNode(root) ? root.range?.[0] : undefined;
  for (const seg of issue.path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value === seg : p.key === seg));
      if (pair === undefined) break;
      offset = isNode(pair.key) ? (pair.key as Node).range?.[0] : offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!isNode(item)) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  if (offset === undefined) return {};
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}
