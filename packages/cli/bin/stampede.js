#!/usr/bin/env node
// The `stampede` launcher: runs src/main.ts through tsx with the `source`
// export condition (workspace packages resolve to their TypeScript sources),
// forwarding arguments, stdio and the exit status.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// Resolve tsx from here, not from the caller's working directory.
const tsx = import.meta.resolve('tsx');
const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, mainPath, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal !== null) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
