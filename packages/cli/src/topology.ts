/**
 * Loading a topology file for the commands: the model's YAML loader, with
 * its failures turned into the CLI's usage errors (exit code 2): an
 * unreadable file says so in one line; an invalid topology lists every issue.
 */
import { loadTopologyFile, type PlatformParams, TopologyError } from '@stampede/model';
import { checkReadableFile } from './args.ts';
import { TopologyFileError, topologyErrorText } from './errors.ts';

export function loadTopology(file: string): PlatformParams {
  checkReadableFile(file);
  try {
    return loadTopologyFile(file);
  } catch (err) {
    if (err instanceof TopologyError) throw new TopologyFileError(topologyErrorText(err.message, err.issues));
    throw err;
  }
}
