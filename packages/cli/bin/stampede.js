#!/usr/bin/env node
// The `stampede` launcher: runs src/main.ts through tsx with the `source`
// export condition (workspace packages resolve to their TypeScript sources),
// forwarding arguments, stdio, signals and the exit status.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const mainPath = fileURLToPath(new URL('../src/main.ts', import.meta.url));
// Resolve tsx from here, not from the caller's working directory.
const tsx = import.meta.resolve('tsx');
// `pnpm stampede …` runs this from the workspace root; pnpm records where it was typed in INIT_CWD, and
// file arguments are relative to that directory, as the user wrote them.
const env = process.env;
const cwd = env.npm_lifecycle_event === 'stampede' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
// fd 3 carries the names of the signals this launcher receives: a simulation runs synchronously, so the child's
// own signal handler waits for it to end, while a watcher thread in the child reads this pipe at once (interrupt.ts)
const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, mainPath, ...process.argv.slice(2)], {
  stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
  cwd,
  env: { ...env, STAMPEDE_SIGNAL_FD: '3' },
});
const signals = child.stdio[3];
signals.on('error', () => {}); // the child has exited: nothing to tell it
signals.unref?.();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signal !== 'SIGHUP' && signals.writable) signals.write(`${signal}\n`);
    child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  if (signal !== null) {
    // die of the same signal, as the shell expects; our own handler would otherwise swallow it (and exit 0)
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
    process.exitCode = 128 + (constants.signals[signal] ?? 0);
  } else process.exit(code ?? 1);
});
