// How a connector's metrics read in the console: numbers, and snapshot or replay progress with its bar.
import { el } from './dom.js';

export const fmt = (n) =>
  n === null || n === undefined ? '–' : n >= 100 ? Math.round(n).toLocaleString() : Number(n.toFixed(2)).toString();

export function progressOf(summary) {
  if (!summary) return null;
  const s = summary.snapshot;
  if (s && (s.running || (!s.completed && s.tablesTotal > 0))) {
    const byRows = s.rowsEstimated ? Math.min(1, s.rowsScanned / s.rowsEstimated) : null;
    const byTables = s.tablesTotal > 0 ? (s.tablesTotal - s.tablesRemaining) / s.tablesTotal : 0;
    return {
      kind: 'snapshot',
      ratio: byRows ?? byTables,
      text: `snapshot: ${s.tablesTotal - s.tablesRemaining}/${s.tablesTotal} tables, ${s.rowsScanned.toLocaleString()} rows${s.currentTable ? ` (${s.currentTable})` : ''}`,
    };
  }
  if (summary.catchUp) {
    const { read, lag } = summary.catchUp;
    return { kind: 'replay', ratio: read / (read + lag), text: `catching up: ${lag.toLocaleString()} records behind` };
  }
  if (s && s.completed)
    return { kind: 'snapshot', ratio: 1, text: `snapshot done: ${s.rowsScanned.toLocaleString()} rows` };
  return null;
}

export function progressBar(p) {
  if (!p) return el('span', { class: 'muted' }, '–');
  return el(
    'div',
    { class: 'progress', 'data-progress': p.kind, 'data-ratio': p.ratio.toFixed(3) },
    el('div', { class: 'bar' }, el('div', { style: { width: `${Math.round(p.ratio * 100)}%` } })),
    el('small', {}, p.text),
  );
}
