import { KernelInputError, StampedeInputError } from '@stampede/kernel';
import { describe, expect, it } from 'vitest';
import { reportError, TopologyFileError, topologyErrorText, UsageError } from '../src/errors.ts';

function capture(err: unknown) {
  let text = '';
  const code = reportError(err, { write: (s: string) => (text += s) });
  return { code, text };
}

describe('reportError', () => {
  it('a usage error: one line, exit code 2, no stack', () => {
    expect(capture(new UsageError("cannot read topology file 'x.yaml': no such file (ENOENT)"))).toEqual({
      code: 2,
      text: "stampede: cannot read topology file 'x.yaml': no such file (ENOENT)\n",
    });
  });

  it('an invalid topology: every issue, exit code 2, no stack', () => {
    const message = topologyErrorText('t.yaml: 2 problems', [
      { path: 'router.replicas', message: 'must be at least 1' },
      { path: 'delegates.count', message: 'expected a number, got "many"' },
    ]);
    const r = capture(new TopologyFileError(message));
    expect(r.code).toBe(2);
    expect(r.text).toBe(
      'stampede: t.yaml: 2 problems\n  router.replicas: must be at least 1\n  delegates.count: expected a number, got "many"\n',
    );
  });

  it('does not repeat issues the message already lists', () => {
    expect(
      topologyErrorText('t.yaml: router.replicas: must be at least 1', [{ path: 'router.replicas', message: 'must be at least 1' }]),
    ).toBe('t.yaml: router.replicas: must be at least 1');
  });

  it("a library's input error no command translated is the user's to fix too: its message, exit code 2", () => {
    expect(capture(new StampedeInputError('faultSchedule: windowMs must be at least 10000 (10 s), got 5'))).toEqual({
      code: 2,
      text: 'stampede: faultSchedule: windowMs must be at least 10000 (10 s), got 5\n',
    });
  });

  it('a kernel input error is a bug here: the CLI validates what it hands the kernel', () => {
    expect(capture(new KernelInputError('spawn', 'id', '', 'a non-empty string')).code).toBe(1);
  });

  it('anything else is a bug: message and stack, exit code 1', () => {
    const r = capture(new RangeError('boom'));
    expect(r.code).toBe(1);
    expect(r.text).toMatch(/^stampede: unexpected error .*\nRangeError: boom\n\s+at /);
  });
});
