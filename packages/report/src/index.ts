/**
 * @stampede/report — what Stampede shows: self-contained HTML reports (one file per run, demo, check or sweep that
 * opens offline: uPlot and the data inlined, a Content-Security-Policy that forbids any network access, every string
 * from a user or a topology file escaped), the mitigation scoreboard as the terminal and the reports show it, and the
 * text helpers both use (times, durations, events, replay commands, control characters made visible).
 */

export type { ChartSeries, ChartSpec, Marker } from './chart-spec.ts';
/** The report of `stampede check`: topology, seed, policies checked, verdict counts; for a failure the shrunk policy, its evidence, its replay and the run report of the counterexample. */
export { type CheckReportInput, checkReportHtml } from './check-report.ts';
/** Terminal colours, off when the stream is not a terminal or NO_COLOR is set. */
export { type Colors, colorsFor, plain } from './colors.ts';
/** The report of `stampede demo`: the scoreboard with a small connected-fraction chart per scenario. */
export { type DemoReportInput, demoReportHtml } from './demo-report.ts';
/** HTML escaping for text from users and topology files; JSON safe inside a script element. */
export { escapeHtml, jsonForScript } from './escape.ts';
/** The verdict heatmap of a sweep, as an HTML fragment (for any page). */
export { type HeatmapAxis, type HeatmapCell, type HeatmapInput, heatmapHtml } from './heatmap.ts';
/** The markers (timeline events, completions, recovery) of one run. */
export { runMarkers } from './markers.ts';
/** Rates of a counter series over a window, as the run report charts them. */
export { ratePerSec } from './run-charts.ts';
/** The report of `stampede run`: verdict, the run as written, signal charts with markers, rollout log, settings, replay. */
export { type RunReportInput, type RunSections, runReportHtml, runSections } from './run-report.ts';
/** Text from files on its way to a terminal: control characters shown as visible escapes. */
export { hasUnsafeText, safeText } from './safe-text.ts';
/** The small per-scenario timeline the demo's workers send back. */
export { lowestPerStep, type ScenarioTimeline, scenarioTimeline } from './scenario-timeline.ts';
/** The mitigation scoreboard: one row per scenario, the oracle's verdict first. */
export {
  type ByItself,
  formatScoreboard,
  recoveredByItself,
  SCOREBOARD_HEAD,
  type ScenarioOutcome,
  type ScenarioVerdict,
  scoreboardRow,
} from './scoreboard.ts';
/** The report of `stampede sweep`: the boundary heatmap with the file's own settings marked. */
export { type SweepReportInput, sweepReportHtml } from './sweep-report.ts';
/** Times, durations, percentages, timeline events and replay commands in words. */
export {
  DEFAULT_ENGINE,
  describeEvent,
  describePool,
  engineArg,
  fmtClock,
  fmtDuration,
  fmtMs,
  fmtPct,
  fmtTimeToRecover,
  plural,
  replayCommand,
  shellArg,
} from './text.ts';
/** `stampede whatif`: the branches in a terminal and as a page. */
export { whatifReportHtml } from './whatif-report.ts';
export { branchVerdict, formatWhatif } from './whatif-text.ts';
/** `stampede demo --worlds`: calibration and the robust scoreboard, in a terminal and as a page. */
export { worldsReportHtml } from './worlds-report.ts';
export { findingText, flipText, formatWorlds } from './worlds-text.ts';
