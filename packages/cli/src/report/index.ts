/**
 * The reports as the commands use them: the pages from @stampede/report, and what only a command does around them
 * (report-file.ts: check a --report path before the work, write the page atomically after it; run-report-file.ts:
 * judge the run, or say why it cannot be judged, then write its page).
 *
 * Typical use in a command: `checkReportPath(path)` before the long work, then
 * `await writeReport(path, runReportHtml({...}))` and print `wrote PATH`.
 */
export {
  type CheckReportInput,
  checkReportHtml,
  type DemoReportInput,
  demoReportHtml,
  escapeHtml,
  type HeatmapAxis,
  type HeatmapCell,
  type HeatmapInput,
  heatmapHtml,
  jsonForScript,
  type RunReportInput,
  type RunSections,
  runMarkers,
  runReportHtml,
  runSections,
  type ScenarioTimeline,
  type SweepReportInput,
  scenarioTimeline,
  sweepReportHtml,
} from '@stampede/report';
/** Validating a --report path before the work, and writing the page atomically after it. */
export { checkReportPath, writeReport } from './report-file.ts';
/** `run --report`: judge (or say why it cannot), build the page, write it atomically. */
export { type RunReportJob, verdictFor, writeRunReport } from './run-report-file.ts';
