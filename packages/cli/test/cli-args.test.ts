import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { node, repoRoot, stampede } from './cli.helpers.ts';

/** A usage error: exit 2, nothing on stdout, one line on stderr, no stack trace. */
function expectUsageError(r: { code: number; stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe.concurrent('stampede argument errors', () => {
  it('--seed abc names the option, the value and what to pass', async () => {
    expectUsageError(
      await stampede(['run', 'x.yaml', '--seed', 'abc']),
      /--seed <n>' argument 'abc' is invalid\. expected an integer from 0 to 4294967295, e\.g\. --seed 42/,
    );
  });

  it('a seed out of range is refused', async () => {
    expectUsageError(await stampede(['demo', '--seed', '4294967296']), /argument '4294967296' is invalid/);
  });

  it('a missing FILE says which argument and shows the usage', async () => {
    expectUsageError(
      await stampede(['run']),
      /^stampede run: missing required argument 'file' \(usage: stampede run \[options\] <file>; see stampede run --help\)/,
    );
  });

  it('an unreadable file says why and what to pass', async () => {
    expectUsageError(
      await stampede(['run', 'no/such/topology.yaml']),
      /cannot read topology file 'no\/such\/topology\.yaml': no such file \(ENOENT\); pass the path of a topology YAML file/,
    );
    expectUsageError(await stampede(['run', 'packages']), /cannot read topology file 'packages': it is not a regular file/);
  });

  it('--engine takes compiled or xstate only: a bad or missing value names the option, the value and the choices', async () => {
    const [run, demo, check, missing] = await Promise.all([
      stampede(['run', 'examples/topologies/prod4-incident-small.yaml', '--engine', 'fast']),
      stampede(['demo', '--engine', 'XSTATE']),
      stampede(['check', 'examples/topologies/prod4-incident-small.yaml', '--engine', 'interpreted']),
      stampede(['run', 'examples/topologies/prod4-incident-small.yaml', '--engine']),
    ]);
    const choices = 'Allowed choices are compiled, xstate.';
    expectUsageError(run, /^stampede run: option '--engine <name>' argument 'fast' is invalid\. Allowed choices are compiled, xstate\./);
    expectUsageError(demo, /^stampede demo: option '--engine <name>' argument 'XSTATE' is invalid\./);
    expect(demo.stderr).toContain(choices);
    expectUsageError(check, /^stampede check: option '--engine <name>' argument 'interpreted' is invalid\./);
    expect(check.stderr).toContain(choices);
    expectUsageError(missing, /^stampede run: option '--engine <name>' argument missing/);
  });

  it('an unknown option or command is a usage error', async () => {
    expectUsageError(await stampede(['run', 'x.yaml', '--sed', '3']), /unknown option '--sed'/);
    expectUsageError(await stampede(['replay']), /unknown command 'replay'/);
  });
});

describe('stampede help', () => {
  it('lists the commands, and per command the options with their defaults', async () => {
    const top = await stampede(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/run \[options\] <file>/);
    expect(top.stdout).toMatch(/demo \[options\]/);

    const run = await stampede(['run', '--help']);
    expect(run.code).toBe(0);
    for (const option of ['--seed <n>', '--out <dir>', '--json', '--quiet']) expect(run.stdout).toContain(option);
    expect(run.stdout).toMatch(/\(default: 1\)/);

    const demo = await stampede(['demo', '--help']);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/--dir <dir>[\s\S]*\(default:\s+examples\/topologies\)/);
    expect(demo.stdout).toContain('action-5-higher-autoscaling-limits.yaml');

    for (const help of [run, demo, await stampede(['check', '--help'])]) {
      expect(help.stdout).toMatch(/--engine <name>[\s\S]*\(choices:\s+"compiled",\s+"xstate",\s+default:\s+"compiled"\)/);
    }
  });
});

describe('bin/stampede.js', () => {
  it('runs the CLI from any directory and passes its exit code through', async () => {
    const bin = join(repoRoot, 'packages/cli/bin/stampede.js');
    const version = await node([bin, '--version'], tmpdir());
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const missing = await node([bin, 'run'], tmpdir());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'file'/);
  });
});
