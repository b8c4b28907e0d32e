/**
 * Self-contained HTML reports: one file per run, demo, check or sweep that
 * opens offline (uPlot and the data inlined; a Content-Security-Policy
 * forbids any network access). Every string from a user or a topology file
 * is escaped.
 *
 * Typical use in a command: `checkReportPath(path)` before the long work,
 * then `await writeReport(path, runReportHtml({...}))` and print
 * `wrote PATH`.
 */

/** The report of `stampede check`: topology, seed, policies checked, verdict counts; for a failure the shrunk policy, its evidence, its replay and the run report of the counterexample. */
export { type CheckReportInput, checkReportHtml } from './check-report.ts';
/** The report of `stampede demo`: the scoreboard with a small connected-fraction chart per scenario. */
export { type DemoReportInput, demoReportHtml } from './demo-report.ts';
/** HTML escaping for text from users and topology files; JSON safe inside a script element. */
export { escapeHtml, jsonForScript } from './escape.ts';
/** The verdict heatmap of a sweep, as an HTML fragment (for any page). */
export { type HeatmapAxis, type HeatmapCell, type HeatmapInput, heatmapHtml } from './heatmap.ts';
/** The markers (timeline events, completions, recovery) of one run. */
export { runMarkers } from './markers.ts';
/** Validating a --report path before the work, and writing the page atomically after it. */
export { checkReportPath, writeReport } from './report-file.ts';
/** The report of `stampede run`: verdict, the run as written, signal charts with markers, rollout log, settings, replay. */
export { type RunReportInput, type RunSections, runReportHtml, runSections } from './run-report.ts';
/** `run --report`: judge (or say why it cannot), build the page, write it atomically. */
export { type RunReportJob, verdictFor, writeRunReport } from './run-report-file.ts';
/** The small per-scenario timeline the demo's workers send back. */
export { type ScenarioTimeline, scenarioTimeline } from './scenario-timeline.ts';
/** The report of `stampede sweep`: the boundary heatmap with the file's own settings marked. */
export { type SweepReportInput, sweepReportHtml } from './sweep-report.ts';
