#!/usr/bin/env node
// The `stampede` launcher: runs the built command (dist/src/main.js), forwarding arguments, stdio, signals and the
// exit status. No TypeScript at run time: in the repository, `pnpm build` (tsc -b) writes dist/, and the root
// scripts (`pnpm stampede`, `pnpm demo`, `pnpm test`) run it first.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const mainPath = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));
if (!existsSync(mainPath)) {
  process.stderr.write(`stampede: ${mainPath} is missing: the command is not built; in the repository run pnpm build (tsc -b)\n`);
  process.exit(1);
}
// `pnpm stampede …` runs this from the workspace root; pnpm records where it was typed in INIT_CWD, and
// file arguments are relative to that directory, as the user wrote them.
const env = process.env;
const cwd = env.npm_lifecycle_event === 'stampede' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
// fd 3 carries the names of the signals this launcher receives: a simulation runs synchronously, so the child's
// own signal handler waits for it to end, while a watcher thread in the child reads this pipe at once (interrupt.ts)
const child = spawn(process.execPath, [mainPath, ...process.argv.slice(2)], {
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
