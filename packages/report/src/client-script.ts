/**
 * The script that runs in the report page: reads the charts' data from the
 * page's JSON block and draws each chart with uPlot (inlined before it), with
 * vertical markers for the timeline. It touches the DOM only through
 * textContent and uPlot, so no label can become markup.
 *
 * After drawing it sets `window.stampedeCharts` (one entry per chart: id,
 * plotted points, the uPlot instance) and `data-charts-ready` on <html>, which
 * the browser test reads.
 *
 * Plain browser JavaScript kept as a string: it is inlined verbatim, never
 * run by Node, and must not contain a closing script tag.
 */
// biome-ignore lint/complexity/noUselessStringRaw: backslashes in the browser code must reach the page as written
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('stampede-data').textContent);
  var FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  var MARKER_STYLE = data.markerStyle;

  function clock(min) {
    var s = Math.round(min * 60);
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ':' + (r < 10 ? '0' : '') + r;
  }

  function num(v, percent) {
    if (v == null || !isFinite(v)) return '—';
    var a = Math.abs(v);
    var text = a >= 10000 ? (v / 1000).toFixed(0) + 'k' : a >= 1000 ? (v / 1000).toFixed(1) + 'k' : a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
    if (!/k$/.test(text)) text = String(Number(text)); // 80.0 -> 80, 0.050 -> 0.05
    return percent ? text + '%' : text;
  }

  // Vertical lines at the markers, their labels in a band of LABEL_ROWS rows above the plot so they
  // cover no data. A label goes right of its line, or left of it at the right edge, in the first row where
  // it overlaps no other label; one that fits in no row, or would leave the plot's width, is left out (the
  // list under the charts names them all). Where each label went is kept on the chart element
  // (data-marker-labels, in CSS pixels) so a browser test can check that none overlap.
  var LABEL_ROWS = 3;
  var ROW_PX = 15;
  function markerPlugin(markers, labels) {
    return {
      hooks: {
        draw: [
          function (u) {
            var ctx = u.ctx;
            var dpr = uPlot.pxRatio;
            var b = u.bbox;
            var rows = [];
            var placed = [];
            var dropped = [];
            ctx.save();
            ctx.font = 'bold ' + Math.round(11 * dpr) + 'px ' + FONT;
            ctx.textAlign = 'left';
            ctx.textBaseline = 'top';
            markers.forEach(function (m) {
              var style = MARKER_STYLE[m.kind];
              var x = Math.round(u.valToPos(m.atMin, 'x', true));
              if (x < b.left - 1 || x > b.left + b.width + 1) return;
              var row = -1;
              var x0 = 0;
              var w = 0;
              if (labels) {
                w = ctx.measureText(m.label).width + 6 * dpr;
                x0 = x + 3 * dpr;
                if (x0 + w > b.left + b.width) x0 = x - 3 * dpr - w;
                if (x0 < b.left) row = LABEL_ROWS; // fits on neither side of its line in a narrow chart
                else
                  for (row = 0; row < LABEL_ROWS; row++) {
                    var free = (rows[row] || []).every(function (iv) { return x0 + w <= iv[0] || x0 >= iv[1]; });
                    if (free) break;
                  }
                if (row === LABEL_ROWS) {
                  row = -1;
                  dropped.push(m.label);
                } else {
                  (rows[row] = rows[row] || []).push([x0, x0 + w]);
                  placed.push({ label: m.label, row: row, from: x0 / dpr, to: (x0 + w) / dpr, left: b.left / dpr, right: (b.left + b.width) / dpr });
                }
              }
              var yLabel = b.top - (LABEL_ROWS - row) * ROW_PX * dpr;
              ctx.strokeStyle = style.color;
              ctx.lineWidth = 1.5 * dpr;
              ctx.setLineDash(style.dash ? [5 * dpr, 4 * dpr] : []);
              ctx.beginPath();
              ctx.moveTo(x, row >= 0 ? yLabel : b.top);
              ctx.lineTo(x, b.top + b.height);
              ctx.stroke();
              if (row < 0) return;
              ctx.fillStyle = style.color;
              ctx.fillText(m.label, x0 + 3 * dpr, yLabel + 1 * dpr);
            });
            ctx.restore();
            if (labels) u.root.setAttribute('data-marker-labels', JSON.stringify({ placed: placed, dropped: dropped }));
          },
        ],
      },
    };
  }

  function axisStyle(extra) {
    var base = {
      stroke: '#495057',
      font: '12px ' + FONT,
      labelFont: '600 12px ' + FONT,
      grid: { stroke: '#e9ecef', width: 1 },
      ticks: { stroke: '#ced4da', width: 1, size: 4 },
    };
    for (var k in extra) base[k] = extra[k];
    return base;
  }

  function options(spec, width) {
    var small = spec.size === 'small';
    var height = small ? 90 : spec.size === 'wide' ? 300 : 250;
    var yRange = spec.yRange
      ? function () { return spec.yRange; }
      : function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; };
    var xAxis = small
      ? axisStyle({ size: 22, font: '10px ' + FONT, grid: { show: false }, values: function (u, vs) { return vs.map(function (v) { return String(v); }); } })
      : axisStyle({ label: 'simulated time (min)', labelSize: 22, size: 34, incrs: [1, 2, 5, 10, 15, 20, 30, 60, 120, 240], values: function (u, vs) { return vs.map(function (v) { return String(v); }); } });
    var yAxis = small
      ? axisStyle({ size: 36, font: '10px ' + FONT, splits: function () { return [0, 50, 100]; }, values: function (u, vs) { return vs.map(function (v) { return v + '%'; }); } })
      : axisStyle({ label: spec.yLabel, labelSize: 22, size: 54, values: function (u, vs) { return vs.map(function (v) { return num(v, spec.percent); }); } });
    return {
      width: width,
      height: height,
      pxAlign: false,
      padding: [small ? 6 : LABEL_ROWS * ROW_PX + 6, 14, null, null],
      legend: { show: !small },
      cursor: small ? { show: false } : { points: { size: 6 } },
      scales: { x: { time: false }, y: { range: yRange } },
      axes: [xAxis, yAxis],
      series: [{ label: 'simulated time', value: function (u, v) { return v == null ? '—' : clock(v); } }].concat(
        spec.series.map(function (s) {
          return {
            label: s.label,
            stroke: s.color,
            width: small ? 1.25 : 1.75,
            dash: s.dash ? [6, 4] : undefined,
            fill: s.fill ? s.color + '22' : undefined,
            points: { show: false },
            value: function (u, v) { return num(v, spec.percent); },
          };
        }),
      ),
      plugins: [markerPlugin(spec.markers, !small)],
    };
  }

  var charts = [];
  data.charts.forEach(function (spec) {
    var figure = document.getElementById(spec.id);
    var el = figure.querySelector('.plot');
    var width = spec.size === 'small' ? 260 : Math.max(320, Math.floor(el.clientWidth));
    var plot = new uPlot(options(spec, width), [spec.timesMin].concat(spec.series.map(function (s) { return s.values; })), el);
    var points = 0;
    spec.series.forEach(function (s) {
      s.values.forEach(function (v) { if (v != null) points++; });
    });
    charts.push({ id: spec.id, points: points, plot: plot, spec: spec, el: el });
  });

  window.addEventListener('resize', function () {
    charts.forEach(function (c) {
      if (c.spec.size === 'small') return;
      var width = Math.max(320, Math.floor(c.el.clientWidth));
      if (width !== c.plot.width) c.plot.setSize({ width: width, height: c.plot.height });
    });
  });

  window.stampedeCharts = charts.map(function (c) { return { id: c.id, points: c.points, plot: c.plot }; });
  document.documentElement.setAttribute('data-charts-ready', String(charts.length));
})();
`;
