/** A worlds file, or what it names, is wrong: the message says where and how to fix it. */
import { StampedeInputError } from '@stampede/kernel';

export class WorldsError extends StampedeInputError {
  override name = 'WorldsError';
}
