/**
 * Where the command's own files are, whether it runs from its TypeScript sources (tests, `tsx`) or from the built
 * JavaScript in dist/src/ (the `stampede` bin, an installed package): the package folder, its version, the
 * example topologies `demo` runs, and the module a worker thread starts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const built = import.meta.url.includes('/dist/src/');

/** The @stampede/cli package folder (holds package.json). */
export const PACKAGE_ROOT = fileURLToPath(new URL(built ? '../../' : '../', import.meta.url));

export const PACKAGE_VERSION = (JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as { version: string }).version;

/**
 * The topologies `stampede demo` runs by default: the ones shipped in the package (copied there when it is packed),
 * else the repository's examples/topologies/ (in the workspace).
 */
export function defaultTopologiesDir(): string {
  const shipped = `${PACKAGE_ROOT}topologies/`;
  return existsSync(shipped) ? shipped : `${join(PACKAGE_ROOT, '..', '..', 'examples', 'topologies')}${sep}`;
}

/** The module `name` beside this one: `name.ts` when running from sources, `name.js` when built. */
export function siblingModule(name: string): URL {
  return new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}
