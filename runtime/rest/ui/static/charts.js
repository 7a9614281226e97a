// The last hour's charts (throughput, sink lag, source lag) drawn as SVG from the worker's history.
import { $, el, svg } from './dom.js';
import { fmt } from './metrics-format.js';
import { state } from './state.js';

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d'];

function colorOf(name) {
  const names = Object.keys(state.connectors).sort();
  const i = names.indexOf(name);
  return COLORS[(i < 0 ? names.length : i) % COLORS.length];
}

function drawChart(node, series, unitOf) {
  // The drawing is as wide as the chart is on screen, so its text is not stretched.
  const W = Math.max(200, Math.round(node.getBoundingClientRect().width) || 600);
  const H = 180;
  node.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const points = state.history.points;
  const now = Date.now();
  // The axis spans what the worker has sampled, up to the last hour.
  const from = Math.max(now - 3_600_000, Math.min(now - 60_000, points.length > 0 ? points[0].t : now));
  const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v[1])));
  const x = (t) => ((t - from) / (now - from)) * W;
  const y = (v) => H - 14 - (v / max) * (H - 24);
  const children = [
    svg('line', { x1: 0, x2: W, y1: H - 14, y2: H - 14, stroke: '#e5e7eb' }),
    Object.assign(svg('text', { x: 2, y: 10 }), { textContent: `${fmt(max)} ${unitOf(series)}` }),
    Object.assign(svg('text', { x: 2, y: H - 2 }), { textContent: `-${Math.round((now - from) / 60_000)} min` }),
    Object.assign(svg('text', { x: W - 24, y: H - 2 }), { textContent: 'now' }),
  ];
  for (const s of series) {
    if (s.values.length === 0) continue;
    children.push(
      svg('polyline', {
        stroke: s.color,
        'data-series': s.name,
        points: s.values.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
      }),
    );
  }
  node.replaceChildren(...children);
  node.dataset.points = String(points.length);
}

export function renderCharts() {
  const names = Object.keys(state.connectors).sort();
  const pts = state.history.points;
  const values = (name, pick) =>
    pts
      .filter((p) => p.connectors[name] && pick(p.connectors[name]) !== null)
      .map((p) => [p.t, Math.max(0, pick(p.connectors[name]))]);
  drawChart(
    $('#chart-throughput'),
    names.map((n) => ({ name: n, color: colorOf(n), values: values(n, (c) => c.out) })),
    () => 'rec/s',
  );
  drawChart(
    $('#chart-lag'),
    names.map((n) => ({ name: n, color: colorOf(n), values: values(n, (c) => c.lag) })),
    () => 'records',
  );
  drawChart(
    $('#chart-behind'),
    names.map((n) => ({
      name: n,
      color: colorOf(n),
      values: values(n, (c) => (c.behindMs !== null && c.behindMs >= 0 ? c.behindMs : null)),
    })),
    () => 'ms',
  );
  $('#chart-legend').replaceChildren(
    ...names.map((n) => el('span', {}, el('i', { style: { background: colorOf(n) } }), n)),
    el('span', { class: 'muted' }, `sampled every ${state.history.intervalMs / 1000} s`),
  );
}
