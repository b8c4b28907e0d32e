/**
 * Topology files: the user-facing description of a platform (YAML or a `TopologyInput` object), validated and
 * resolved into `PlatformParams` with every default filled in.
 */
export { type DurationResult, formatDuration, parseDuration, tryParseDuration } from './duration.ts';
export { FIELD_DOCS, type FieldDoc, fieldDefault, type SchemaField, type SettingRow, schemaFields, topologySettings } from './fields.ts';
export {
  loadTopologyFile,
  loadTopologyText,
  MAX_LISTED_ISSUES,
  parseTopology,
  readTopologyYaml,
  TopologyError,
  type TopologyIssue,
} from './load.ts';
export { MAX_RUN_MS, RANGES } from './ranges.ts';
export { topologyReferenceMarkdown } from './reference.ts';
export { type Duration, didYouMean, type TopologyInput, topologySchema } from './schema.ts';
export { estimateRunSize, RUN_SIZE_COSTS, RUN_SIZE_LIMITS, type RunSizeEstimate } from './size.ts';
