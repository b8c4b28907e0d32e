/**
 * The scale-out examples (examples/kubernetes, examples/ci) hold together: every Indexed Job tells stampede its shard
 * count as its `completions`, every merge collects exactly that many shards, every command's arguments are accepted
 * (the topology validates and is checkable, each --vary plans), and the CI matrix has as many jobs as its shards.
 * Running them needs a cluster or GitHub; their local equivalent runs in packages/cli/test/shards.test.ts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseVary, planSweep } from '@stampede/check';
import { loadTopologyText, readTopologyYaml } from '@stampede/model';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');
const docs = (path: string) =>
  parseAllDocuments(read(path))
    .map((d) => d.toJSON())
    .filter((d) => d !== null);

/** The --vary values of an argument list. */
const varies = (args: string[]) => args.flatMap((a, i) => (args[i - 1] === '--vary' ? [a] : []));

describe('examples/kubernetes', () => {
  const [configMap] = docs('examples/kubernetes/topology-configmap.yaml');
  const topologyText: string = configMap.data['topology.yaml'];

  it('the topology in the ConfigMap validates and has a rollout after 5 minutes of steady state', () => {
    const p = loadTopologyText(topologyText, 'topology.yaml');
    expect(p.timeline.some((e) => e.kind === 'rollout' && e.atMs >= 5 * 60_000)).toBe(true);
  });

  it.each([
    ['sweep-job.yaml', 'sweep-merge-job.yaml', '/results/sweep/shard-*-of-'],
    ['check-job.yaml', 'check-merge-job.yaml', '/results/check/check-shard-*-of-'],
  ])('%s: an Indexed Job whose STAMPEDE_SHARD_COUNT is its completions, merged by %s over as many shards', (job, merge, glob) => {
    const [j] = docs(`examples/kubernetes/${job}`);
    expect(j.spec.completionMode).toBe('Indexed');
    const container = j.spec.template.spec.containers[0];
    const count = container.env.find((e: { name: string }) => e.name === 'STAMPEDE_SHARD_COUNT').value;
    expect(Number(count)).toBe(j.spec.completions);
    expect(container.args[1]).toBe('/topology/topology.yaml');
    expect(container.volumeMounts).toContainEqual({ name: 'topology', mountPath: '/topology' });
    const [m] = docs(`examples/kubernetes/${merge}`);
    const script: string = m.spec.template.spec.containers[0].args[0];
    expect(script).toContain(`${glob}${j.spec.completions}.json`);
    // the merge sees the topology where the shards saw it (a check's merge judges its shrink candidates from it)
    expect(m.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'topology', mountPath: '/topology' });
    if (job === 'sweep-job.yaml') {
      const specs = varies(container.args).map(parseVary);
      expect(specs).toHaveLength(2);
      const plan = planSweep(readTopologyYaml(topologyText, 'topology.yaml'), '/topology/topology.yaml', specs);
      expect(plan.cells.length).toBeGreaterThanOrEqual(j.spec.completions); // at most one shard per cell
    }
  });
});

describe('examples/ci', () => {
  const workflow = parse(read('examples/ci/stampede-shards.yml'));

  it.each(['sweep', 'check'])(
    'the %s matrix has SHARDS jobs, each STAMPEDE_SHARD=I/SHARDS, and its merge collects SHARDS files',
    (name) => {
      const job = workflow.jobs[name];
      const shards = Number(workflow.env.SHARDS);
      expect(job.strategy.matrix.shard).toEqual(Array.from({ length: shards }, (_, i) => i + 1));
      expect(job.env.STAMPEDE_SHARD).toBe(`\${{ matrix.shard }}/${shards}`);
      const merge = workflow.jobs[`${name}-merge`];
      expect(merge.needs).toBe(name);
      expect(merge.steps.map((s: { run?: string }) => s.run ?? '').join('\n')).toMatch(
        /stampede\.js merge out\/\w+\/[\w-]*shard-\*-of-\$SHARDS\.json/,
      );
    },
  );

  it('the topology exists and the sweep varies fields it has', () => {
    const file: string = workflow.env.TOPOLOGY;
    const text = read(file);
    const run: string = workflow.jobs.sweep.steps.find((s: { run?: string }) => s.run?.includes(' sweep ')).run;
    const specs = [...run.matchAll(/--vary '([^']+)'/g)].map((m) => parseVary(m[1]!));
    expect(specs).toHaveLength(2);
    expect(planSweep(readTopologyYaml(text, file), file, specs).cells.length).toBeGreaterThanOrEqual(Number(workflow.env.SHARDS));
  });
});
