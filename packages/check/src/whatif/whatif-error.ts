/** A whatif request is wrong (an action, the minute, the file): the message says where and how to fix it. */
import { StampedeInputError } from '@stampede/kernel';

export class WhatifError extends StampedeInputError {
  override name = 'WhatifError';
}
