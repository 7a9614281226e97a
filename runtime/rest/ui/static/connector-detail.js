/* global confirm */
// The selected connector's panel: its actions (by role and state), tasks with traces, config and offsets.
import { api } from './api.js';
import { $, el, notice } from './dom.js';
import { progressBar, progressOf } from './metrics-format.js';
import { refresh } from './poll.js';
import { can, state } from './state.js';

export async function loadDetail(name) {
  try {
    const [config, offsets] = await Promise.all([
      api('GET', `/connectors/${encodeURIComponent(name)}/config`),
      api('GET', `/connectors/${encodeURIComponent(name)}/offsets`).catch((err) => ({ error: err.message })),
    ]);
    if (state.selected === name) {
      state.detail = { name, config, offsets };
      renderDetail();
    }
  } catch (err) {
    notice(`Cannot read ${name}: ${err.message}`, true);
  }
}

const ACTIONS = [
  {
    id: 'pause',
    label: 'Pause',
    role: 'operate',
    method: 'PUT',
    path: (n) => `/connectors/${n}/pause`,
    when: (s) => s === 'RUNNING',
  },
  {
    id: 'resume',
    label: 'Resume',
    role: 'operate',
    method: 'PUT',
    path: (n) => `/connectors/${n}/resume`,
    when: (s) => s === 'PAUSED' || s === 'STOPPED',
  },
  {
    id: 'restart',
    label: 'Restart',
    role: 'operate',
    method: 'POST',
    path: (n) => `/connectors/${n}/restart?includeTasks=true`,
    when: () => true,
  },
  {
    id: 'stop',
    label: 'Stop',
    role: 'operate',
    method: 'PUT',
    path: (n) => `/connectors/${n}/stop`,
    when: (s) => s !== 'STOPPED',
  },
  {
    id: 'reset-offsets',
    label: 'Reset offsets',
    role: 'operate',
    method: 'DELETE',
    path: (n) => `/connectors/${n}/offsets`,
    when: (s) => s === 'STOPPED',
    confirm: (n) =>
      `Reset every offset of ${n}? A source starts over (e.g. a new snapshot); a sink re-reads its topics from the start.`,
    class: 'danger',
  },
  {
    id: 'delete',
    label: 'Delete',
    role: 'admin',
    method: 'DELETE',
    path: (n) => `/connectors/${n}`,
    when: () => true,
    confirm: (n) => `Delete the connector ${n}? Its config and status are removed; its topics stay.`,
    class: 'danger',
  },
];

async function act(action, name) {
  if (action.confirm && !confirm(action.confirm(name))) return;
  try {
    const res = await api(action.method, action.path(encodeURIComponent(name)));
    notice(`${action.label}: ${name}${res && res.message ? ` — ${res.message}` : ''}`);
    if (action.id === 'delete') state.selected = null;
  } catch (err) {
    notice(`${action.label} ${name} failed (${err.status}): ${err.message}`, true);
  }
  await refresh();
  if (state.selected) void loadDetail(state.selected);
}

async function restartTask(name, id) {
  try {
    await api('POST', `/connectors/${encodeURIComponent(name)}/tasks/${id}/restart`);
    notice(`Restarted task ${name}-${id}`);
  } catch (err) {
    notice(`Restart of task ${name}-${id} failed (${err.status}): ${err.message}`, true);
  }
  await refresh();
}

export function renderDetail() {
  const box = $('#detail');
  const name = state.selected;
  const c = name ? state.connectors[name] : undefined;
  if (!c) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  box.hidden = false;
  const st = c.status;
  const connectorState = st.connector.state;
  const m = state.overview.connectors[name];
  const p = progressOf(m);
  const d = state.detail && state.detail.name === name ? state.detail : null;
  box.replaceChildren(
    el('h2', {}, name, ' ', el('span', { class: `state ${connectorState}`, id: 'detail-state' }, connectorState)),
    el(
      'p',
      { class: 'muted' },
      `${st.type} · ${c.info ? c.info.config['connector.class'] : ''} · worker ${st.connector.worker_id}`,
    ),
    el(
      'div',
      { class: 'actions' },
      ACTIONS.map((a) =>
        el(
          'button',
          {
            type: 'button',
            'data-action': a.id,
            class: a.class,
            disabled: !a.when(connectorState) || !can(a.role),
            title: can(a.role) ? '' : `needs the ${a.role} role`,
            onclick: () => act(a, name),
          },
          a.label,
        ),
      ),
    ),
    st.connector.trace
      ? el('details', { open: true }, el('summary', {}, 'Connector trace'), el('pre', {}, st.connector.trace))
      : '',
    p ? el('div', {}, el('h3', {}, p.kind === 'snapshot' ? 'Snapshot' : 'Replay / catch-up'), progressBar(p)) : '',
    m
      ? el(
          'p',
          {},
          `Records in ${m.recordsIn.toLocaleString()} · out ${m.recordsOut.toLocaleString()} · record errors ${m.errors} · DLQ ${m.dlqRequests} (failed ${m.dlqFailures})`,
        )
      : '',
    el('h3', {}, 'Tasks'),
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Task'),
          el('th', {}, 'State'),
          el('th', {}, 'Worker'),
          el('th', {}, 'Trace'),
          el('th', {}, ''),
        ),
      ),
      el(
        'tbody',
        {},
        st.tasks.map((t) =>
          el(
            'tr',
            { 'data-task': t.id },
            el('td', {}, `${name}-${t.id}`),
            el('td', {}, el('span', { class: `state ${t.state}` }, t.state)),
            el('td', {}, t.worker_id),
            el(
              'td',
              {},
              t.trace
                ? el('details', {}, el('summary', {}, t.trace.split('\n')[0].slice(0, 120)), el('pre', {}, t.trace))
                : '',
            ),
            el(
              'td',
              {},
              el(
                'button',
                { type: 'button', disabled: !can('operate'), onclick: () => restartTask(name, t.id) },
                'Restart task',
              ),
            ),
          ),
        ),
      ),
    ),
    el('h3', {}, 'Config ', el('small', { class: 'muted' }, '(secrets hidden by the worker)')),
    d
      ? el(
          'dl',
          { class: 'config', id: 'config' },
          Object.keys(d.config)
            .sort()
            .flatMap((k) => [el('dt', {}, k), el('dd', {}, d.config[k])]),
        )
      : el('p', { class: 'muted' }, 'loading…'),
    el('h3', {}, 'Offsets'),
    d ? el('pre', { id: 'offsets' }, JSON.stringify(d.offsets, null, 2)) : '',
  );
}
