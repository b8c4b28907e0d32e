/**
 * Runs the CLI as a user would: the built command (packages/cli/dist/src/main.js, which the test setup builds with
 * tsc -b), from the repository root.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function stampede(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return node(['packages/cli/dist/src/main.js', ...args], repoRoot, env);
}

/** Runs `node …args` in `cwd` and collects its exit code and output. */
export function node(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
