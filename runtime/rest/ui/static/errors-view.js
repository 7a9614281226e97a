// The errors view: record error and dead letter queue counts per connector, and the recent WARN/ERROR lines.
import { $, el } from './dom.js';
import { state } from './state.js';

export function renderErrors() {
  const rows = Object.entries(state.overview.connectors).sort(([a], [b]) => a.localeCompare(b));
  $('#error-counts tbody').replaceChildren(
    ...rows.map(([name, m]) =>
      el(
        'tr',
        {},
        el('td', {}, name),
        el('td', {}, String(m.errors)),
        el('td', {}, String(m.failures)),
        el('td', {}, String(m.skipped)),
        el('td', {}, String(m.dlqRequests)),
        el('td', {}, String(m.dlqFailures)),
        el('td', {}, m.lastErrorTimestamp ? new Date(m.lastErrorTimestamp).toLocaleString() : '–'),
      ),
    ),
  );
  const problems = [...state.overview.problems].reverse();
  $('#problems').replaceChildren(
    ...(problems.length === 0
      ? [el('li', { class: 'muted' }, 'No warnings or errors logged since the worker started.')]
      : problems.map((p) =>
          el(
            'li',
            { class: p.level },
            el('strong', {}, p.level),
            ' ',
            new Date(p.time).toLocaleTimeString(),
            ' ',
            p.connector ? `[${p.connector}${p.task !== undefined ? `|task-${p.task}` : ''}] ` : '',
            p.message,
            p.error ? el('pre', {}, p.error) : '',
          ),
        )),
  );
}
