#!/usr/bin/env node
// The `stampede` launcher: runs src/main.ts through tsx with the `source`
// export condition (workspace packages resolve to their TypeScript sources),
// forwarding arguments, stdio and the exit status.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// Resolve tsx from here, not from the caller's working directory.
const tsx = import.meta.resolve('tsx');
// `pnpm stampede …` runs this from the workspace root; pnpm records where it was typed in INIT_CWD, and
// file arguments are relative to that directory, as the user wrote them.
const env = process.env;
const cwd = env.npm_lifecycle_event === 'stampede' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, mainPath, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd,
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal !== null) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
