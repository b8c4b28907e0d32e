/**
 * The chart library, inlined into every report so the page opens offline:
 * uPlot's minified browser build and its stylesheet, read from the `uplot`
 * dependency in node_modules when a report is written (never fetched from a
 * CDN). Read once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ChartAssets {
  /** uPlot's IIFE build: defines the global `uPlot` */
  script: string;
  css: string;
  /** the uPlot version, for the page footer */
  version: string;
}

let cached: ChartAssets | undefined;

export function chartAssets(): ChartAssets {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const read = (path: string) => readFileSync(require.resolve(path), 'utf8');
  const script = read('uplot/dist/uPlot.iife.min.js');
  const css = read('uplot/dist/uPlot.min.css');
  // Inline code must not contain the end tag of its own element; uPlot's build has none today.
  if (/<\/script/i.test(script) || /<\/style/i.test(css)) {
    throw new Error('uplot/dist contains a closing </script> or </style> tag: it cannot be inlined into the report as it is');
  }
  const version = (JSON.parse(read('uplot/package.json')) as { version: string }).version;
  cached = { script, css, version };
  return cached;
}
