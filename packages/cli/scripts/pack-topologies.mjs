// `prepack` / `postpack` of @stampede/cli: the example topologies `stampede demo` runs by default travel inside the
// package (topologies/), copied from the repository's examples/topologies/ while it is packed, and removed after, so
// the workspace keeps one copy of them.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const from = fileURLToPath(new URL('../../../examples/topologies/', import.meta.url));
const to = fileURLToPath(new URL('../topologies/', import.meta.url));
rmSync(to, { recursive: true, force: true });
if (process.argv[2] === 'copy') {
  for (const name of readdirSync(from).filter((n) => n.endsWith('.yaml'))) cpSync(`${from}${name}`, `${to}${name}`);
}
