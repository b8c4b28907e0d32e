/**
 * Vitest global setup: builds the packages (tsc -b: JavaScript and declarations into each package's dist/) before any
 * test runs, because the tests run the `stampede` command as a user does, from the built JavaScript. Incremental: a
 * second run with nothing changed takes about a second.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // typescript's `exports` do not list its bin: find the package, then the file
  const tsc = join(createRequire(import.meta.url).resolve('typescript/package.json'), '..', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `the build (tsc -b) failed, so the tests cannot run the built command:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`,
    );
  }
}
