import { StampedeInputError } from '@stampede/kernel';

/**
 * A sweep the user described wrongly (a bad `--vary`, a path that leads
 * nowhere, shards that do not belong together): `message` is one line saying
 * what was wrong and how to fix it, printable as it is, without a stack.
 */
export class SweepError extends StampedeInputError {
  override readonly name = 'SweepError';
}
