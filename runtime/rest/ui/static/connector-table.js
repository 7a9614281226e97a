// The connectors table: state, tasks, rates, lag, errors and progress per connector; a click selects one.
import { loadDetail, renderDetail } from './connector-detail.js';
import { $, el } from './dom.js';
import { fmt, progressBar, progressOf } from './metrics-format.js';
import { state } from './state.js';

export function renderConnectorTable() {
  const tbody = $('#connectors tbody');
  const names = Object.keys(state.connectors).sort();
  $('#no-connectors').hidden = names.length > 0;
  tbody.replaceChildren(
    ...names.map((name) => {
      const c = state.connectors[name];
      const st = c.status || { connector: { state: 'UNASSIGNED' }, tasks: [] };
      const m = state.overview.connectors[name];
      const lag =
        m && m.sinkLag !== null
          ? `${fmt(m.sinkLag)} rec`
          : m && m.behindSourceMs !== null && m.behindSourceMs >= 0
            ? `${fmt(m.behindSourceMs)} ms`
            : '–';
      return el(
        'tr',
        {
          class: `connector${state.selected === name ? ' selected' : ''}`,
          'data-connector': name,
          onclick: () => select(name),
        },
        el('td', {}, el('strong', {}, name)),
        el('td', {}, st.type || (c.info && c.info.type) || ''),
        el(
          'td',
          {},
          el('span', { class: `state ${st.connector.state}`, 'data-state': st.connector.state }, st.connector.state),
        ),
        el(
          'td',
          {},
          st.tasks
            .map((t) =>
              el('span', { class: `state ${t.state}`, title: `task ${t.id} on ${t.worker_id}` }, `${t.id}:${t.state}`),
            )
            .flatMap((x) => [x, ' ']),
        ),
        el('td', {}, m ? fmt(m.inRate) : '–'),
        el('td', {}, m ? fmt(m.outRate) : '–'),
        el('td', {}, lag),
        el('td', {}, m ? String(m.errors) : '–'),
        el('td', { 'data-dlq': name }, m ? String(m.dlqRequests) : '–'),
        el('td', {}, progressBar(progressOf(m))),
      );
    }),
  );
}

function select(name) {
  state.selected = state.selected === name ? null : name;
  state.detail = null;
  renderConnectorTable();
  renderDetail();
  if (state.selected) void loadDetail(state.selected);
}
