/**
 * Entry point of the `stampede` command (bin/stampede.js runs this file
 * through tsx with the `source` condition).
 */
import { runCli } from './program.ts';

// `stampede run … | head`: a closed pipe ends the output quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
