/**
 * The launcher under `pnpm stampede …`: pnpm runs it from the workspace root,
 * and file arguments are relative to where the user typed the command
 * (pnpm's INIT_CWD).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { node, repoRoot } from './cli.helpers.ts';

const bin = join(repoRoot, 'packages/cli/bin/stampede.js');

describe('bin/stampede.js', () => {
  it('under pnpm, resolves a file argument from the directory the command was typed in', async () => {
    const env = { npm_lifecycle_event: 'stampede', INIT_CWD: join(repoRoot, 'examples/topologies') };
    const r = await node([bin, 'run', 'prod4-incident-small.yaml', '--json'], repoRoot, env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ file: 'prod4-incident-small.yaml', name: 'prod4-incident-small' });
  }, 120_000);

  it('outside pnpm, the working directory is the process’s own', async () => {
    const r = await node([bin, 'run', 'prod4-incident-small.yaml', '--json'], repoRoot, { npm_lifecycle_event: '', INIT_CWD: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot read topology file 'prod4-incident-small.yaml': no such file");
  });
});
