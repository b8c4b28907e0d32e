/**
 * The `stampede` command line: commands, options with their defaults and
 * help, and the mapping from outcome to exit code (0 ok, 1 unexpected error,
 * 2 usage or topology error).
 */

import { availableParallelism } from 'node:os';
import { MAX_CHECK_RUNS } from '@stampede/check';
import type { EngineName } from '@stampede/kernel';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_ENGINE, DEFAULT_SEED, ENGINES, parseSeed } from './args.ts';
import { checkCommand, DEFAULT_MAX_SHRINK, DEFAULT_RUNS } from './check-command.ts';
import { DEMO_FILES, defaultTopologiesDir, demoCommand, displayPath } from './demo-command.ts';
import { EXIT_OK, reportError, UsageError } from './errors.ts';
import { logLevelOption } from './log-output.ts';
import { PACKAGE_VERSION } from './package-files.ts';
import { type Io, type RunCommandOptions, runCommand } from './run-command.ts';
import { TRACE_HELP, traceOptions } from './trace-options.ts';
import { type WhatifOptions, whatifCommand } from './whatif-command.ts';
import { worldsCommand } from './worlds-command.ts';

const version = PACKAGE_VERSION;

function parseWorkers(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError('expected a whole number of worker threads, at least 1, e.g. --workers 2.');
  return n;
}

function parseRuns(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CHECK_RUNS)
    throw new InvalidArgumentError(
      `expected a whole number of cases from 1 to ${MAX_CHECK_RUNS} (each is a full simulation), e.g. --runs 100.`,
    );
  return n;
}

function parseMaxShrink(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_CHECK_RUNS)
    throw new InvalidArgumentError(
      `expected a whole number of shrink candidates from 0 to ${MAX_CHECK_RUNS} (0: do not shrink), e.g. --max-shrink 50.`,
    );
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

interface DemoCliOptions {
  seed: number;
  dir: string;
  workers: number;
  engine: EngineName;
  report?: string;
  worlds?: string;
  json?: boolean;
  shard?: string;
  out?: string;
}

const WORLDS_HELP = `
With --worlds FILE: every combination of the file's assumption values is a world. Calibration runs what the
observations name in every world with every seed and keeps the worlds where every observation holds on every
seed; the robust scoreboard judges the incident and each action in every consistent world with every seed.
An action helps in a world when the oracle (manual rollbacks left out) says recovered or slow on every seed;
a finding is robust when it helps in all consistent worlds or in none, and otherwise the scoreboard names the
assumption that flips it, with the outcome under each value. Seeds and topologies come from the file. A shard can also come from the environment (when --shard is not
given): STAMPEDE_SHARD=I/N (a CI matrix), or JOB_COMPLETION_INDEX (0-based, a Kubernetes Indexed Job) with
STAMPEDE_SHARD_COUNT=N; then stampede merge DIR/worlds-shard-*-of-N.json. More: docs/worlds.md.
Example: stampede demo --worlds examples/worlds/prod4.yaml --report out/worlds.html`;

export function createProgram(io: Io, setExitCode: (code: number) => void): Command {
  const program = new Command('stampede')
    .description(
      'Replay and property-test reconnection storms: does this topology and rollout policy recover on its own, or fall into a self-sustaining failure loop?',
    )
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride();
  configureErrors(program, io, 'stampede');

  const seedOption = (what = 'seed of every random stream in the run (integer 0–4294967295); same seed, same trace hash') =>
    new Option('-s, --seed <n>', what).argParser(parseSeed).default(DEFAULT_SEED);
  const workersOption = (what: string) =>
    new Option('-w, --workers <n>', what)
      .argParser(parseWorkers)
      .default(availableParallelism(), `${availableParallelism()}, the number of CPUs`);

  // commander refuses any other value: "option '--engine <name>' argument 'x' is invalid. Allowed choices are compiled, xstate."
  const engineOption = (what: string) =>
    new Option(
      '--engine <name>',
      `what runs the actors' xstate machines${what}: compiled (compiled to tables, 5–9× faster) or xstate (xstate's own interpreter, the reference); the same trace hash either way, so xstate confirms a result`,
    )
      .choices(ENGINES)
      .default(DEFAULT_ENGINE);

  const reportOption = (what: string) =>
    new Option(
      '--report <file.html>',
      `also write one self-contained HTML page (opens offline): ${what}; the name must end in .html, missing directories are created (default: none)`,
    );

  const run = program
    .command('run')
    .description(
      'judge one topology file with the oracle (without its manual rollbacks: does it come back by itself?), then run it as written and summarise the storm: recovery, impact, conservation, trace hash',
    )
    .argument('<file>', 'topology YAML file, e.g. examples/topologies/prod4-incident.yaml')
    .addOption(seedOption())
    .addOption(
      new Option('-o, --out <dir>', 'also write series.csv, series.json and summary.json into DIR (created if needed) (default: none)'),
    )
    .addOption(
      new Option(
        '--json',
        'print exactly one JSON object (the summary, and the oracle\'s verdict as "verdict") to stdout and nothing else',
      ).default(false),
    )
    .addOption(new Option('-q, --quiet', 'no settings header and no progress bar: the verdict and the summary only').default(false))
    .addOption(reportOption("the oracle's verdict, charts of the signals with the timeline marked, the settings"))
    .addOption(logLevelOption())
    .addOption(engineOption(" (the run and the oracle's runs)"))
    .addHelpText(
      'after',
      '\nExamples:\n  stampede run examples/topologies/prod4-incident.yaml --seed 7\n  stampede run examples/topologies/prod4-incident.yaml --engine xstate\n  stampede run my-topology.yaml --json --out out/my-topology\n  stampede run examples/topologies/prod4-incident.yaml --report out/incident.html',
    )
    .addHelpText('after', TRACE_HELP)
    .action(async (file: string, opts: RunCommandOptions) => {
      setExitCode(await runCommand(file, opts, io));
    });
  for (const option of traceOptions()) run.addOption(option);
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
    .addOption(workersOption('worker threads (capped at the number of CPUs and of scenarios)'))
    .addOption(engineOption(' (every run and oracle judgement)'))
    .addOption(
      reportOption('the scoreboard with a small connected-fraction chart per scenario (with --worlds: the actions × worlds matrix)'),
    )
    .addOption(
      new Option(
        '--worlds <file>',
        'the robust scoreboard: calibrate the worlds of FILE (assumptions × values) against what was observed, then judge each action in every consistent world (e.g. examples/worlds/prod4.yaml)',
      ),
    )
    .addOption(new Option('--json', 'with --worlds: print exactly one JSON object (the result, or the shard) to stdout and nothing else'))
    .addOption(
      new Option('--shard <I/N>', 'with --worlds: run only the worlds whose index ≡ I−1 (mod N) and write a shard file for stampede merge'),
    )
    .addOption(new Option('-o, --out <dir>', 'with --worlds --shard: write worlds-shard-I-of-N.json into DIR (default: worlds-<name>)'))
    .addHelpText('after', `\nScenarios, in this order (missing ones are skipped):\n${DEMO_FILES.map((f) => `  ${f}`).join('\n')}`)
    .addHelpText('after', WORLDS_HELP)
    .action(async (opts: DemoCliOptions, cmd: Command) => {
      if (opts.worlds === undefined) {
        const only = (['json', 'shard', 'out'] as const).filter((k) => opts[k] !== undefined);
        if (only.length > 0)
          throw new UsageError(`${only.map((k) => `--${k}`).join(', ')} only work${only.length === 1 ? 's' : ''} with --worlds FILE`);
        setExitCode(await demoCommand(opts, io));
        return;
      }
      for (const k of ['seed', 'dir'] as const)
        if (cmd.getOptionValueSource(k) === 'cli')
          throw new UsageError(
            k === 'seed'
              ? '--seed does not apply with --worlds: the worlds file lists its seeds (seeds: [1, 2, 3]); drop --seed'
              : '--dir does not apply with --worlds: the worlds file names its topologies (paths relative to it); drop --dir',
          );
      setExitCode(await worldsCommand(opts.worlds, opts, io));
    });
  configureErrors(demo, io, 'stampede demo');

  const whatif = program
    .command('whatif')
    .description(
      'branch the run at minute T and try emergency actions: does the storm end after each, how long after, and the impact avoided; or find the latest minute an action still works',
    )
    .argument('<file>', 'topology YAML file, e.g. examples/topologies/prod4-incident.yaml')
    .addOption(new Option('--at <T>', 'the minute every tried action is taken, as a duration into the run (e.g. 15m)'))
    .addOption(
      new Option(
        '--try <action>',
        "an action: a timeline event as a topology file writes it, without `at` (e.g. '{rollback: router}'); repeat for more branches",
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .addOption(new Option('--latest <action>', 'find the latest minute at which this action still brings the fleet back within --within'))
    .addOption(new Option('--within <D>', 'with --latest: how soon after the action the fleet must be back (e.g. 10m)'))
    .addOption(seedOption())
    .addOption(workersOption('worker threads judging branches (capped at the number of CPUs)'))
    .addOption(engineOption(' (every branch)'))
    .addOption(new Option('--json', 'print exactly one JSON object (the result) to stdout and nothing else').default(false))
    .addOption(reportOption("the branches' table and every branch's connected fraction on one chart"))
    .addHelpText(
      'after',
      `
Each branch is the run as written with the action added to its timeline at T: the same seed gives the same
storm until T, and every event of the file stays. The verdict is the oracle's on the branch without the file's
own manual rollbacks (a tried rollback stays): does the storm end by itself after the action? "storm ends
after the action" is from T to the oracle's recovery; impact avoided is against the run as written (manual
rollback included). --latest bisects the minutes from the storm's start (the first sample below 90% connected
after the trigger) to the end of the run minus --within, to 30 s, assuming acting earlier never does worse; every
minute tried is listed, and a search whose earliest minute fails while its latest works says so instead.
After a tried rollback or restart, the file's own later rollbacks of that deployment are left out of the branch
(they would roll back to the wrong revision), and the output says so.
Each worker thread runs the past once and forks every branch from it (a branch is the run from scratch with the
action in its timeline, same trace hash); with --engine xstate every branch re-runs the past instead, and says so.

Examples:
  stampede whatif examples/topologies/prod4-incident.yaml --at 15m --try '{rollback: router}' --try '{kill: router, count: 2}'
  stampede whatif examples/topologies/prod4-incident.yaml --latest '{rollback: router}' --within 10m
  stampede whatif my-topology.yaml --at 20m --try '{rollback: router}' --report out/whatif.html`,
    )
    .action(async (file: string, opts: WhatifOptions) => {
      setExitCode(await whatifCommand(file, opts, io));
    });
  configureErrors(whatif, io, 'stampede whatif');

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
    .addOption(seedOption("fast-check's seed: which cases are generated (integer 0–4294967295); same seed, same cases"))
    .addOption(workersOption('worker threads judging cases (capped at the number of CPUs)'))
    .addOption(new Option('--faults', 'also inject generated faults: pod kills, partitions, latency and load spikes').default(false))
    .addOption(new Option('--replay <path>', 'judge only the case at this counterexample path, as printed by a failed check'))
    .addOption(
      new Option(
        '--max-shrink <n>',
        'shrink candidates judged at most while shrinking a failure (each a full simulation and judgement); when they run out, the smallest failing case found so far is reported, marked as possibly shrinking further; 0: report the first failure unshrunk',
      )
        .argParser(parseMaxShrink)
        .default(DEFAULT_MAX_SHRINK),
    )
    .addOption(engineOption(" (both of the oracle's runs of every case)"))
    .addOption(
      new Option(
        '--shard <I/N>',
        'judge only shard I of N, the cases whose index ≡ I−1 (mod N) up to its first failure, and write a shard file for stampede merge (which shrinks and reports as one check)',
      ),
    )
    .addOption(
      new Option(
        '-o, --out <dir>',
        'with --shard: write check-shard-I-of-N.json into DIR, created if needed (default: check-<topology name>)',
      ),
    )
    .addOption(new Option('--json', 'print exactly one JSON object (the outcome) to stdout and nothing else').default(false))
    .addOption(
      reportOption('what was checked and the verdict counts; for a failure the shrunk case, its evidence and the full run report of it'),
    )
    .addHelpText(
      'after',
      "\nProgress: a bar on a terminal; otherwise (a log file, a pipe, --json) a plain line on stderr at most every 5 s (STAMPEDE_PROGRESS_SECONDS), with the phase, the cases judged and the wall time.\n\nAcross machines: run each shard with --shard I/N (the same file, --seed, --runs, --faults, --engine and --max-shrink), collect the check-shard-I-of-N.json files, then stampede merge them: the outcome, counterexample and replay are those of one unsharded check. A shard can also come from the environment (when --shard is not given): STAMPEDE_SHARD=I/N (a CI matrix), or JOB_COMPLETION_INDEX (0-based, set by a Kubernetes Indexed Job) with STAMPEDE_SHARD_COUNT=N (the Job's completions).\n\nExit codes: 0 the property holds (a shard: its file is written), 3 a counterexample was found, 2 a usage or topology error, 1 a bug.\n\nExamples:\n  stampede check examples/topologies/prod4-incident.yaml --runs 20\n  STAMPEDE_SHARD=2/4 stampede check my-topology.yaml --runs 200 --out out/check   # one shard of four\n  stampede merge out/check/check-shard-*-of-4.json\n  stampede check my-topology.yaml --runs 200 --faults --seed 7\n  stampede check examples/topologies/prod4-incident-small.yaml --runs 20 --engine xstate   # confirm on xstate's own interpreter",
    )
    .action(
      async (
        file: string,
        opts: {
          runs: number;
          seed: number;
          workers: number;
          faults: boolean;
          replay?: string;
          maxShrink: number;
          engine: EngineName;
          json: boolean;
          report?: string;
          shard?: string;
          out?: string;
        },
      ) => {
        setExitCode(await checkCommand(file, opts, io));
      },
    );
  configureErrors(check, io, 'stampede check');

  // sweep and merge load their modules when they run (worker pool, hashing): `stampede run` does not pay for them
  const sweep = program
    .command('sweep')
    .description(
      "map where safe turns unsafe: the oracle's verdict and time to recover in every cell of a grid over one or two topology fields, as a heatmap, CSV and JSON, with the margin of the file's own settings to the nearest unsafe cell",
    )
    .argument('<file>', 'topology YAML file, e.g. examples/topologies/prod4-incident.yaml')
    .addOption(
      new Option(
        '--vary <PATH=FROM..TO[:STEPS]>',
        'a field of the file and its range; once for a line, twice for a grid (see below)',
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
    )
    .addOption(seedOption())
    .addOption(workersOption('worker threads judging cells (capped at the number of CPUs and of cells)'))
    .addOption(
      new Option(
        '-o, --out <dir>',
        'write sweep.json and sweep.csv (with --shard: shard-I-of-N.json) into DIR, created if needed (default: sweep-<topology name>)',
      ),
    )
    .addOption(
      new Option('--shard <I/N>', 'run only shard I of N, the cells whose index ≡ I−1 (mod N), and write a shard file for stampede merge'),
    )
    .addOption(new Option('--json', 'print exactly one JSON object (the result, or the shard) to stdout and nothing else').default(false))
    .addOption(
      new Option(
        '--restart',
        'discard the finished cells an interrupted run of this sweep kept in DIR and judge every cell again (default: resume from them)',
      ).default(false),
    )
    .addOption(reportOption('the boundary heatmap with the file’s own settings marked and the margin; not with --shard (use it on merge)'))
    .addHelpText(
      'after',
      `
PATH names a field of the file as written: keys joined by dots, list items as [N] (or .N), e.g.
router.pool.pendingAcquireTimeout, timeline[0].pool.maxConnections, delegates.reconnect.delay. A router
rollout's pool overrides router.pool for the pods it starts: sweep refuses router.pool.KEY when a rollout
sets KEY, and names timeline[N].pool.KEY to vary instead.
FROM..TO: both plain numbers or both durations (15s, 2m, 250ms). STEPS (default 5, at most 100) counts the
values, both ends included, evenly spaced; ends written as whole numbers give whole numbers (300..800, not
0.0..1; durations: whole seconds when both ends are), and duplicates that rounding makes are dropped, with a
note. Columns: the first --vary; rows: the second. Every cell is validated before the first one runs.

Each cell is judged by the oracle without manual rollbacks: R recovered (with the time to recover from the
storm's start, or "no storm" when connected never fell below 90%), S slow (still recovering at the deadline), M metastable, O overloaded. Unsafe: metastable (the
storm sustains itself, while the same configuration started quietly is healthy) or overloaded (unhealthy
even from a quiet start). The margin: the unsafe cell nearest the file's own setting (its value, or the
default), each axis scaled by its swept range; given per axis as the value and the change, absolute and %.
Under each row: the cells' severity (lowest connected, q peak pending acquires, +r routers the autoscaler
added). When the only safe cells (or the boundary) sit at the edge of a range, the output says so and gives
the sweep to run with that range widened.

sweep.json holds the axes, the own setting, the margin, the edges and every cell (verdict, storm, time to recover
from the storm's start and from the trigger, dominant loop, trace hash, evidence, severity); sweep.csv one row per
cell. No wall-clock value is written: the same sweep gives the same bytes.

Interrupted (Ctrl-C, SIGTERM, a killed job)? Each finished cell is kept in DIR/cells.partial.jsonl as it finishes;
run the same command again (same file, --vary, --seed, --out, --shard) and only the missing cells are judged, with
the same result as an uninterrupted sweep. Progress: a bar on a terminal; otherwise a line on stderr at most every
5 s (STAMPEDE_PROGRESS_SECONDS).

To spread a sweep over machines (a CI matrix; a Kubernetes Indexed Job with
I = JOB_COMPLETION_INDEX + 1), run each with --shard I/N, collect the shard files, then stampede merge.
A shard can also come from the environment (when --shard is not given): STAMPEDE_SHARD=I/N (a CI matrix), or JOB_COMPLETION_INDEX (0-based, set by a Kubernetes Indexed Job) with STAMPEDE_SHARD_COUNT=N (the Job's completions).

Examples:
  stampede sweep examples/topologies/prod4-incident.yaml \\
    --vary timeline[0].pool.maxConnections=400..1000:4 --vary router.pool.pendingAcquireTimeout=15s..2m:3
  stampede sweep my-topology.yaml --vary delegates.reconnect.delay=1s..30s:6 --shard 2/4 --out out/sweep-delay
  stampede merge out/sweep-delay/shard-*-of-4.json --out out/sweep-delay --report out/sweep-delay.html`,
    )
    .action(
      async (
        file: string,
        opts: {
          vary?: string[];
          seed: number;
          workers: number;
          out?: string;
          shard?: string;
          json: boolean;
          report?: string;
          restart: boolean;
        },
      ) => {
        const { sweepCommand } = await import('./sweep-command.ts');
        setExitCode(await sweepCommand(file, { ...opts, vary: opts.vary ?? [] }, io));
      },
    );
  configureErrors(sweep, io, 'stampede sweep');

  const merge = program
    .command('merge')
    .description(
      'join the shard files of one sweep into exactly what one unsharded run writes (sweep.json, sweep.csv and the heatmap), of one check into its outcome (shrinking its first failure here), or of one worlds file (demo --worlds FILE --shard I/N) into the robust scoreboard',
    )
    .argument(
      '<shards...>',
      'every shard file of the sweep, check or worlds file, e.g. out/sweep-delay/shard-*-of-4.json, out/check/check-shard-*-of-4.json or worlds-prod4/worlds-shard-*-of-4.json',
    )
    .addOption(workersOption('check shards: worker threads judging shrink candidates (capped at the number of CPUs)'))
    .addOption(
      new Option(
        '-o, --out <dir>',
        'sweep shards: write sweep.json and sweep.csv into DIR, created if needed (default: sweep-<topology name>)',
      ),
    )
    .addOption(new Option('--json', 'print exactly one JSON object (the result) to stdout and nothing else').default(false))
    .addOption(
      reportOption(
        'the boundary heatmap with the file’s own settings marked and the margin (check shards: the check report; worlds shards: the actions × worlds matrix)',
      ),
    )
    .action(async (shards: string[], opts: { out?: string; json: boolean; report?: string; workers?: number }) => {
      const { mergeCommand } = await import('./merge-command.ts');
      setExitCode(await mergeCommand(shards, opts, io));
    });
  configureErrors(merge, io, 'stampede merge');

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
