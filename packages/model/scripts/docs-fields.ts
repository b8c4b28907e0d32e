/**
 * `pnpm docs:fields`: writes docs/topology-reference.md from the topology schema (packages/model/src/topology/reference.ts).
 * `--check` writes nothing and exits 1 when the file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { topologyReferenceMarkdown } from '../src/topology/reference.ts';

const path = new URL('../../../docs/topology-reference.md', import.meta.url);
const text = topologyReferenceMarkdown();
let current = '';
try {
  current = readFileSync(path, 'utf8');
} catch {}
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('docs/topology-reference.md is out of date: run pnpm docs:fields');
    process.exit(1);
  }
  console.log('docs/topology-reference.md is up to date');
} else if (current === text) console.log('docs/topology-reference.md is up to date');
else {
  writeFileSync(path, text);
  console.log('wrote docs/topology-reference.md');
}
