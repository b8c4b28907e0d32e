/**
 * The `stampede` command line: commands, options with their defaults and
 * help, and the mapping from outcome to exit code (0 ok, 1 unexpected error,
 * 2 usage or topology error).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_SEED, parseSeed } from './args.ts';
import { checkCommand, DEFAULT_RUNS } from './check-command.ts';
import { DEMO_FILES, defaultTopologiesDir, demoCommand, displayPath } from './demo-command.ts';
import { EXIT_OK, reportError } from './errors.ts';
import { type Io, runCommand } from './run-command.ts';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function parseWorkers(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of worker threads, at least 1, e.g. --workers 2.');
  return n;
}

function parseRuns(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of cases, at least 1, e.g. --runs 100.');
  return n;
}

/** commander prints its own errors through this: one line, with the usage and where the help is. */
function configureErrors(cmd: Command, io: Io, name: string): Command {
  return cmd.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    outputError: (str, write) => {
      const what = str
        .replace(/^error: /, '')
        .trim()
        .replace(/\s*\n\s*/g, ' ');
      write(`${name}: ${what} (usage: ${name} ${cmd.usage()}; see ${name} --help)\n`);
    },
  });
}

export function createProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('stampede')
    .description(
      'Replay and property-test reconnection storms: does this topology and rollout policy recover on its own, or fall into a self-sustaining failure loop?',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride();
  configureErrors(program, io, 'stampede');

  const seedOption = () =>
    new Option('-s, --seed <n>', 'seed of every random stream in the run (integer 0–4294967295); same seed, same trace hash')
      .argParser(parseSeed)
      .default(DEFAULT_SEED);

  const run = program
    .command('run')
    .description('run one topology file and summarise the storm: recovery, impact, conservation, trace hash')
    .argument('<file>', 'topology YAML file, e.g. examples/topologies/prod4-incident.yaml')
    .addOption(seedOption())
    .addOption(
      new Option('-o, --out <dir>', 'also write series.csv, series.json and summary.json into DIR (created if needed) (default: none)'),
    )
    .addOption(new Option('--json', 'print exactly one JSON object (the summary) to stdout and nothing else').default(false))
    .addOption(new Option('-q, --quiet', 'no settings header and no progress bar: the summary only').default(false))
    .addHelpText(
      'after',
      '\nExamples:\n  stampede run examples/topologies/prod4-incident.yaml --seed 7\n  stampede run my-topology.yaml --json --out runs/my-topology',
    )
    .action(async (file: string, opts: { seed: number; out?: string; json: boolean; quiet: boolean }) => {
      setExitCode(await runCommand(file, opts, io));
    });
  configureErrors(run, io, 'stampede run');

  const demo = program
    .command('demo')
    .description(
      'the mitigation scoreboard: the incident, its elastic baseline and one topology per postmortem action item, run in parallel',
    )
    .addOption(seedOption())
    .addOption(
      new Option('--dir <dir>', 'directory with the scenario files').default(defaultTopologiesDir(), displayPath(defaultTopologiesDir())),
    )
    .addOption(
      new Option('-w, --workers <n>', 'worker threads (capped at the number of CPUs and of scenarios)')
        .argParser(parseWorkers)
        .default(availableParallelism(), `${availableParallelism()}, the number of CPUs`),
    )
    .addHelpText('after', `\nScenarios, in this order (missing ones are skipped):\n${DEMO_FILES.map((f) => `  ${f}`).join('\n')}`)
    .action(async (opts: { seed: number; dir: string; workers: number }) => {
      setExitCode(await demoCommand(opts, io));
    });
  configureErrors(demo, io, 'stampede demo');

  const check = program
    .command('check')
    .description(
      'property check: no generated rollout policy (and, with --faults, injected faults) leaves the topology in a self-sustaining failure loop; a failure is shrunk to its smallest form',
    )
    .argument('<file>', 'topology YAML file with at least one rollout in its timeline')
    .addOption(
      new Option('-n, --runs <n>', 'generated cases to judge (each one a full simulation and oracle judgement)')
        .argParser(parseRuns)
        .default(DEFAULT_RUNS),
    )
    .addOption(
      new Option('-s, --seed <n>', "fast-check's seed: which cases are generated (integer 0–4294967295); same seed, same cases")
        .argParser(parseSeed)
        .default(DEFAULT_SEED),
    )
    .addOption(
      new Option('-w, --workers <n>', 'worker threads judging cases (capped at the number of CPUs)')
        .argParser(parseWorkers)
        .default(availableParallelism(), `${availableParallelism()}, the number of CPUs`),
    )
    .addOption(new Option('--faults', 'also inject generated faults: pod kills, partitions, latency and load spikes').default(false))
    .addOption(new Option('--replay <path>', 'judge only the case at this counterexample path, as printed by a failed check'))
    .addOption(new Option('--json', 'print exactly one JSON object (the outcome) to stdout and nothing else').default(false))
    .addHelpText(
      'after',
      '\nExit codes: 0 the property holds, 3 a counterexample was found, 2 a usage or topology error, 1 a bug.\n\nExamples:\n  stampede check examples/topologies/prod4-incident.yaml --runs 20\n  stampede check my-topology.yaml --runs 200 --faults --seed 7',
    )
    .action(
      async (file: string, opts: { runs: number; seed: number; workers: number; faults: boolean; replay?: string; json: boolean }) => {
        setExitCode(await checkCommand(file, opts, io));
      },
    );
  configureErrors(check, io, 'stampede check');

  return program;
}

/** Parses `args` (without node and the script) and runs the command; returns the exit code. */
export async function runCli(args: readonly string[], io: Io): Promise<number> {
  let code = EXIT_OK;
  const program = createProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (err) {
    return reportError(err, io.stderr);
  }
}
