/** The reports' stylesheet: system fonts only (nothing to download), print-friendly, verdict colours. */
export const REPORT_CSS = `
:root {
  --fg: #212529; --muted: #6c757d; --line: #dee2e6; --bg-soft: #f8f9fa;
  --ok: #2b8a3e; --ok-bg: #d3f9d8; --slow: #8f5d00; --slow-bg: #fff3bf;
  --bad: #c92a2a; --bad-bg: #ffe3e3; --over: #5f3dc4; --over-bg: #e5dbff;
}
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.page-head { padding: 18px 28px 10px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0; font-weight: 650; }
.subtitle { margin: 4px 0 0; color: var(--muted); }
main { padding: 6px 28px 24px; max-width: 1500px; }
h2 { font-size: 17px; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 14px 0 6px; }
p { margin: 6px 0; }
.muted { color: var(--muted); }
tr.changed td { font-weight: 600; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 4px; padding: 8px 10px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top; }
th { font-weight: 600; }
table.grid th, table.grid td { border-bottom: 1px solid var(--line); padding: 4px 12px 4px 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict-card { display: flex; gap: 22px; align-items: flex-start; margin: 14px 0 6px; padding: 14px 16px; border: 1px solid var(--line); border-left-width: 6px; border-radius: 6px; background: var(--bg-soft); }
.verdict-card.recovered { border-left-color: var(--ok); }
.verdict-card.slow { border-left-color: #f08c00; }
.verdict-card.metastable { border-left-color: var(--bad); }
.verdict-card.overloaded { border-left-color: var(--over); }
.verdict-card.none { border-left-color: var(--muted); }
.verdict-main { min-width: 230px; }
.verdict-label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.verdict-word { font-size: 26px; font-weight: 700; line-height: 1.2; }
.verdict-word.recovered { color: var(--ok); } .verdict-word.slow { color: var(--slow); }
.verdict-word.metastable { color: var(--bad); } .verdict-word.overloaded { color: var(--over); }
.verdict-body { flex: 1; }
.evidence { margin: 0 0 8px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 4px 18px; margin: 10px 0; }
.fact .k { color: var(--muted); font-size: 12px; } .fact .v { font-weight: 600; font-variant-numeric: tabular-nums; }
.pill { display: inline-block; padding: 0 8px; border-radius: 10px; font-weight: 600; font-size: 12.5px; }
.pill.recovered { background: var(--ok-bg); color: var(--ok); } .pill.slow { background: var(--slow-bg); color: var(--slow); }
.pill.metastable { background: var(--bad-bg); color: var(--bad); } .pill.overloaded { background: var(--over-bg); color: var(--over); }
.pill.error { background: var(--bad-bg); color: var(--bad); }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 8px 26px; }
.chart { margin: 4px 0 8px; min-width: 0; }
.chart.wide { grid-column: 1 / -1; }
.chart figcaption { font-weight: 600; margin: 6px 0 2px; }
.chart figcaption small { font-weight: 400; color: var(--muted); margin-left: 6px; }
.chart .plot { width: 100%; min-height: 60px; }
.chart.small { margin: 0; } .chart.small .plot { width: 260px; }
.uplot .u-legend { font-size: 12px; text-align: left; }
.uplot .u-legend .u-marker { width: 12px; height: 3px; }
@media (max-width: 1000px) { .charts { grid-template-columns: 1fr; } }
.markers { list-style: none; padding: 0; margin: 6px 0; columns: 2; column-gap: 26px; }
.markers li { break-inside: avoid; padding: 1px 0; }
.swatch { display: inline-block; width: 14px; height: 0; border-top: 3px solid; vertical-align: middle; margin-right: 6px; }
.swatch.dash { border-top-style: dashed; }
.settings { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 4px 26px; }
.settings table { width: 100%; }
.settings td:first-child { color: var(--muted); width: 58%; }
.scoreboard td { vertical-align: middle; }
.heatmap { border-collapse: separate; border-spacing: 3px; }
.heatmap th { font-weight: 600; text-align: center; padding: 2px 6px; font-variant-numeric: tabular-nums; }
.heatmap th.row { text-align: right; vertical-align: middle; }
.heatmap td { text-align: center; min-width: 74px; padding: 6px 4px; border-radius: 3px; font-variant-numeric: tabular-nums; border: 2px solid transparent; }
.heatmap td.recovered { background: var(--ok-bg); color: var(--ok); } .heatmap td.slow { background: var(--slow-bg); color: var(--slow); }
.heatmap td.metastable { background: var(--bad-bg); color: var(--bad); } .heatmap td.overloaded { background: var(--over-bg); color: var(--over); }
.heatmap td.missing { background: var(--bg-soft); color: var(--muted); }
.heatmap td.own { border-color: var(--fg); font-weight: 700; }
.heatmap .v { display: block; font-size: 11px; text-transform: uppercase; letter-spacing: .03em; }
.heatmap .sev { display: block; font-size: 10px; opacity: .8; font-variant-numeric: tabular-nums; }
.legend span { margin-right: 14px; }
details > summary { cursor: pointer; color: var(--muted); margin: 6px 0; }
footer { color: var(--muted); font-size: 12px; padding: 10px 28px 24px; border-top: 1px solid var(--line); }
@media print { .charts { grid-template-columns: 1fr; } main { max-width: none; } }
`;
