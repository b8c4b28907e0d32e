import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_ITEMS, loadTopologyFile } from '../../src/index.ts';

const example = (name: string) => fileURLToPath(new URL(`../../../../examples/topologies/${name}`, import.meta.url));

describe('action-item topology files', () => {
  it.each(ACTION_ITEMS.map((item, i) => [item.id, i] as const))('%s.yaml resolves to the same parameters as the scenario', (id, i) => {
    expect(loadTopologyFile(example(`${id}.yaml`))).toStrictEqual(ACTION_ITEMS[i]!.apply());
  });
});
