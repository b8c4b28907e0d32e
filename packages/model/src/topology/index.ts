/**
 * Topology files: the user-facing description of a platform (YAML or a `TopologyInput` object), validated and
 * resolved into `PlatformParams` with every default filled in.
 */
export { type DurationResult, formatDuration, parseDuration, tryParseDuration } from './duration.ts';
export { loadTopologyFile, loadTopologyText, parseTopology, readTopologyYaml, TopologyError, type TopologyIssue } from './load.ts';
export { type Duration, didYouMean, type TopologyInput, topologySchema } from './schema.ts';
