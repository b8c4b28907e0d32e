/**
 * Reporting: paths as a user reads them, duplicates dropped, issues in the order the document is written.
 */

import type { Path } from './cross-field.ts';
import { quote, shortKey } from './messages.ts';
import type { SchemaIssue } from './structure.ts';

function pathKey(path: Path): string {
  return JSON.stringify(path);
}

/** `router.pool.maxConnections`, `timeline[2].at`; keys that are not identifiers are quoted: `router["max conn"]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const whole of path) {
    const seg = typeof whole === 'string' ? shortKey(whole) : whole;
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${quote(seg)}]`;
  }
  return out;
}

export function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
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
export function inDocumentOrder(input: unknown, issues: SchemaIssue[]): SchemaIssue[] {
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
