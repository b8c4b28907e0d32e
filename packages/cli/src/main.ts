/**
 * Entry point of the `stampede` command (bin/stampede.js runs the built
 * dist/src/main.js; tests and tsx may run this source directly).
 */
import { installInterrupts } from './interrupt.ts';
import { runCli } from './program.ts';

// `stampede run … | head`: a closed pipe ends the output quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const args = process.argv.slice(2);
const io = { stdout: process.stdout, stderr: process.stderr };
// Ctrl-C and SIGTERM: temporary files removed, one line saying what was kept, exit 130 / 143 (interrupt.ts)
const command = args.find((a) => !a.startsWith('-'));
installInterrupts(command === undefined ? 'stampede' : `stampede ${command.replace(/[^\w-]/g, '')}`, io);
process.exitCode = await runCli(args, io);
