#!/usr/bin/env node
// `pnpm test:consumer`: Stampede as a user outside this repository gets it. Builds and packs every package, lints the
// tarballs (publint, and arethetypeswrong for broken exports and types), installs them with plain npm into a fresh
// project in the system's temporary directory, and there: runs a Node script with its own xstate machines on the
// kernel, a vitest file with the property (fc.assert), a type-check of the public API and of the docs' code blocks
// with a stock tsconfig, and
// `npx stampede run … --json`. Exits non-zero at the first step that fails, saying which. Needs the npm registry
// (the project installs vitest, fast-check, xstate and @types/node as a user would).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixture/', import.meta.url));
const PACKAGES = ['kernel', 'model', 'check', 'report', 'cli'];
const work = mkdtempSync(join(tmpdir(), 'stampede-consumer-'));
const keep = process.argv.includes('--keep');
const require = createRequire(import.meta.url);

function step(what, file, args, cwd, env = {}) {
  process.stdout.write(`consumer: ${what}\n`);
  try {
    return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  } catch (err) {
    process.stderr.write(`consumer: FAILED: ${what}\n$ ${file} ${args.join(' ')} (in ${cwd})\n${err.stdout ?? ''}${err.stderr ?? ''}\n`);
    if (!keep) rmSync(work, { recursive: true, force: true });
    else process.stderr.write(`consumer: kept ${work}\n`);
    process.exit(1);
  }
}

const node = process.execPath;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// typescript's `exports` do not list its bin: find the package, then the file
const tsc = join(require.resolve('typescript/package.json'), '..', 'bin', 'tsc');

// from empty dist folders: tsc -b never removes the output of a deleted source, and `files` would ship it
for (const p of PACKAGES) rmSync(join(root, 'packages', p, 'dist'), { recursive: true, force: true });
step('build (tsc -b, each package from an empty dist/)', node, [tsc, '-b'], root);
const packs = join(work, 'packs');
mkdirSync(packs);
for (const p of PACKAGES) step(`pack @stampede/${p}`, 'pnpm', ['pack', '--pack-destination', packs], join(root, 'packages', p));
const tarballs = readdirSync(packs).map((f) => join(packs, f));
const bin = (name) => join(root, 'node_modules', '.bin', name);
for (const t of tarballs) {
  step(`publint ${t.slice(packs.length + 1)}`, bin('publint'), ['run', t, '--strict'], root);
  // ESM-only packages: CommonJS require() of them is not supported, and attw's esm-only profile says so
  step(`arethetypeswrong ${t.slice(packs.length + 1)}`, bin('attw'), [t, '--profile', 'esm-only', '--format', 'ascii'], root);
}

const project = join(work, 'project');
mkdirSync(project);
writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'stampede-consumer', private: true, type: 'module' }, null, 2)}\n`);
for (const f of readdirSync(fixture)) cpSync(join(fixture, f), join(project, f));
step(
  'npm install the tarballs (and vitest, fast-check, xstate, @types/node, as a user would)',
  npm,
  [
    'install',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...tarballs,
    'fast-check@^4.11.0',
    'vitest@4.1.12',
    'xstate@~5.33.3',
    '@types/node@^20.19.0',
  ],
  project,
);
process.stdout.write(step('node kernel.mjs: own xstate machines on the kernel', node, ['kernel.mjs'], project));
step('vitest run property.test.ts: the property under fc.assert', npm, ['exec', '--', 'vitest', 'run', 'property.test.ts'], project);
// the documentation's code: every ts/js block that imports a package (README.md, docs/, each package's README),
// type-checked as written against the installed packages; fragments without imports are left out
const docFiles = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  ...PACKAGES.map((p) => `packages/${p}/README.md`),
];
const blocks = docFiles.flatMap((f) =>
  [...readFileSync(join(root, f), 'utf8').matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)].map((m) => ({ from: f, code: m[1] })),
);
const checked = blocks.filter((b) => /^import /m.test(b.code));
const docSources = checked.map((b, i) => {
  const name = `doc-${i}.ts`;
  writeFileSync(join(project, name), `// from ${b.from}\n${b.code}\nexport {};\n`);
  return name;
});
const tsconfig = JSON.parse(readFileSync(join(project, 'tsconfig.json'), 'utf8'));
tsconfig.files.push(...docSources);
writeFileSync(join(project, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
step(
  `tsc -p tsconfig.json: the public API and ${docSources.length} code blocks of the docs (${[...new Set(checked.map((b) => b.from))].join(', ')}) with a stock tsconfig`,
  node,
  [tsc, '-p', 'tsconfig.json'],
  project,
);
const out = step(
  'npx stampede run … --json --report report.html',
  npm,
  ['exec', '--', 'stampede', 'run', 'node_modules/@stampede/cli/topologies/prod4-incident-small.yaml', '--json', '--report', 'report.html'],
  project,
);
// the page inlines uPlot from the installed @stampede/report: it must be there, with the run's title
const page = readFileSync(join(project, 'report.html'), 'utf8');
if (!page.includes('github.com/leeoniya/uPlot') || !page.includes('stampede run: prod4-incident-small')) {
  process.stderr.write('consumer: FAILED: stampede run --report: the page lacks uPlot or its title\n');
  process.exit(1);
}
const summary = JSON.parse(out);
if (summary.verdict?.verdict !== 'metastable') {
  process.stderr.write(
    `consumer: FAILED: stampede run --json: expected the small incident to be judged metastable, got ${JSON.stringify(summary.verdict)}\n`,
  );
  process.exit(1);
}
process.stdout.write(`consumer: stampede run: verdict ${summary.verdict.verdict}, trace hash ${summary.traceHash}\n`);
if (keep) process.stdout.write(`consumer: kept ${work}\n`);
else rmSync(work, { recursive: true, force: true });
process.stdout.write('consumer: all steps passed\n');
