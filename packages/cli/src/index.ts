/**
 * @stampede/cli — the `stampede` command. The command line itself is
 * src/main.ts; these exports let other tools reuse its formatting and export.
 */

export { formatScoreboard, recoveredByItself, replayCommand, type ScenarioOutcome } from '@stampede/report';
export { type CheckOutcome, checkCommand } from './check-command.ts';
export { runCli } from './program.ts';
export { seriesToCsv, seriesToJson, writeRunOutputs } from './series-export.ts';
export { perMinuteMinimum, sparkline } from './sparkline.ts';
export { formatHeader, formatSummary } from './summary-format.ts';
export { type SummaryJson, summaryJson } from './summary-json.ts';
