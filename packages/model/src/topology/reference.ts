/**
 * The field reference of topology files as Markdown, generated from the schema (fields.ts): every field with what
 * it accepts, its default, what it models and what to watch for. `pnpm docs:fields` writes it to
 * docs/topology-reference.md, and a test fails when the file differs from what this returns.
 */
import { fieldDefault, fieldDoc, type SchemaField, schemaFields } from './fields.ts';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string) => (text === '' ? '' : `\`${text}\``);

function accepts(f: SchemaField): string {
  const why = f.info.why === undefined ? '' : ` (${f.info.why})`;
  return `${f.info.type}: ${f.info.accepts}${why}`;
}

function words(f: SchemaField): string {
  const doc = fieldDoc(f.path, f.variant);
  if (doc === undefined) throw new Error(`topology reference: no words for ${f.path} (add it to FIELD_DOCS in fields.ts)`);
  return doc.note === undefined ? doc.models : `${doc.models}. **Watch:** ${doc.note}`;
}

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

const SECTION_TITLES: Record<string, string> = {
  '': 'Run',
  network: 'network',
  delegates: 'delegates',
  router: 'router',
  manager: 'manager',
  workload: 'workload',
  validationGate: 'validationGate',
};

const SECTION_TEXT: Record<string, string> = {
  '': 'The run as a whole.',
  network: 'Message latency between every pair of actors.',
  delegates: 'The customer-side agents: how they connect, reconnect, heartbeat and run tasks.',
  router: 'The routing layer: its pods, their upstream connection pool, its rollout strategy and its autoscaler.',
  manager: 'The delegate-manager service: its pods, workers, service times and rollout strategy.',
  workload: 'What the platform is asked to do while it runs.',
  validationGate: 'An automatic guard on router rollouts.',
};

/** The whole reference page. */
export function topologyReferenceMarkdown(): string {
  const fields = schemaFields();
  const out: string[] = [
    '# Topology file reference',
    '',
    '<!-- Generated from the schema by `pnpm docs:fields` (packages/model/src/topology/reference.ts); do not edit by hand: a test fails when this file is out of date. -->',
    '',
    'A topology file is YAML. Every field is optional: a field left out takes the default below, so a file names only what differs from the',
    "defaults (the 6 March 2026 platform before the router upgrade). The file's problems are all reported at once, each with its path, the value",
    'found and what is accepted; an unknown key gets the known key it was probably meant to be.',
    '',
    '- **Durations** are written `250ms`, `45s`, `5m` or `1h30m`. A bare number is milliseconds: `heartbeatInterval: 50` is 50 ms, and',
    '  a range that starts at seconds refuses it with "did you mean 50s?".',
    '- **Ranges** say what the model supports; the reason is in brackets and in the error message. A whole run is also bounded by its',
    '  estimated size (delegates × duration × rates): one that would not fit in memory is refused with the estimate and the limit.',
    '- **pods or percent** is a Kubernetes IntOrString: a pod count such as `1`, or a whole percentage such as `"25%"`.',
    '',
  ];
  const sections = new Map<string, SchemaField[]>();
  for (const f of fields) {
    if (f.path.startsWith('timeline') || f.path.startsWith('delegates.reconnect.')) continue;
    const top = f.path.includes('.') ? f.path.slice(0, f.path.indexOf('.')) : '';
    sections.set(top, [...(sections.get(top) ?? []), f]);
  }
  for (const [top, rows] of sections) {
    out.push(`## ${SECTION_TITLES[top] ?? top}`, '', SECTION_TEXT[top] ?? '', '');
    out.push(
      ...table(
        ['field', 'accepts', 'default', 'what it models'],
        rows.map((f) => [code(f.path), accepts(f), code(fieldDefault(f)), words(f)]),
      ),
      '',
    );
    if (top === 'delegates') out.push(...reconnectSection(fields), '');
  }
  out.push(...timelineSection(fields));
  return `${out.join('\n').trimEnd()}\n`;
}

function reconnectSection(fields: SchemaField[]): string[] {
  const reconnect = fields.filter((f) => f.path.startsWith('delegates.reconnect.'));
  const policyDoc = fieldDoc('delegates.reconnect.policy');
  const rows = reconnect
    .filter((f) => !f.path.endsWith('.policy'))
    .map((f) => [code(`policy: ${f.variant}`), code(f.path), accepts(f), code(fieldDefault(f)), words(f)]);
  return [
    '### delegates.reconnect',
    '',
    `\`delegates.reconnect.policy\` (default \`${fieldDefault(reconnect.find((f) => f.path.endsWith('.policy'))!)}\`): ${policyDoc?.models ?? ''}. **Watch:** ${policyDoc?.note ?? ''}.`,
    '',
    'Each policy takes its own keys; a key of another policy is refused and named as such.',
    '',
    ...table(['policy', 'field', 'accepts', 'default', 'what it models'], rows),
  ];
}

function timelineSection(fields: SchemaField[]): string[] {
  const events = fields.filter((f) => f.path.startsWith('timeline[]'));
  const actions = [...new Set(events.map((f) => f.variant!))];
  const out = [
    '## timeline',
    '',
    'A list of events, each a mapping with `at`, exactly one action key (its value says what the action applies to), the',
    "action's own keys and an optional `label`. Example: `- { at: 10m, rollout: router, pool: { mode: fixed, maxConnections: 520 } }`.",
    '',
  ];
  for (const action of actions) {
    const rows = events
      .filter((f) => f.variant === action)
      .map((f) => [code(f.path.slice('timeline[].'.length)), accepts(f), f.required ? 'required' : code(fieldDefault(f)), words(f)]);
    out.push(`### ${action}`, '', ...table(['key', 'accepts', 'default', 'what it models'], rows), '');
  }
  return out;
}
