/* global document, fetch, sessionStorage, btoa, confirm, URLSearchParams, TextEncoder, FormData, Node */
// Tributary web console: plain browser JavaScript, no build step. Reads and actions go through the
// worker's REST API (Kafka Connect's paths, /tributary/console/* and /tributary/topics/*), so the
// worker's authentication, roles and redaction apply. Text is always set with textContent.

const POLL_MS = 2000;
const ROLES = ['read', 'operate', 'admin'];
const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#4d7c0f', '#be185d'];

const state = {
  auth: sessionStorage.getItem('tributary.auth'),
  principal: null,
  view: 'connectors',
  selected: null,
  connectors: {},
  overview: null,
  history: null,
  topic: null,
  pollTimer: undefined,
  readError: false,
  detail: null,
};

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const $ = (sel) => document.querySelector(sel);

/** A DOM element: attrs (class, data-*, other attributes, on* listeners) and children (nodes or text). */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'class') node.className = v;
    // CSSOM, not a style attribute: the page's Content-Security-Policy allows no inline styles.
    else if (k === 'style') Object.assign(node.style, v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat())
    if (c !== undefined && c !== null && c !== false)
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svg(tag, attrs = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

async function api(method, path, body) {
  // X-Requested-With: the worker then answers 401 without a Basic challenge, so the browser shows no login dialog of its own.
  const headers = { accept: 'application/json', 'x-requested-with': 'tributary-console' };
  if (state.auth) headers.authorization = state.auth;
  const init = { method, headers, credentials: 'same-origin' };
  // Kafka Connect's API takes JSON only; a request without a body sends no content type at all.
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status === 401) {
    showSignIn();
    throw new ApiError(401, 'Sign in: the worker asks for credentials.');
  }
  if (!res.ok) throw new ApiError(res.status, (json && json.message) || `${method} ${path}: HTTP ${res.status}`);
  return json;
}

function notice(text, isError = false) {
  const n = $('#notice');
  n.textContent = text;
  n.className = isError ? 'error' : '';
  n.hidden = !text;
}

function can(role) {
  const mine = state.principal ? state.principal.role : 'admin';
  return ROLES.indexOf(mine) >= ROLES.indexOf(role);
}

// ---- sign-in ----------------------------------------------------------------------------------

function showSignIn() {
  clearTimeout(state.pollTimer);
  $('#sign-in').hidden = false;
  document.querySelector('main').hidden = true;
}

function setupSignIn() {
  $('#sign-in').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const token = String(f.get('token') || '').trim();
    const user = String(f.get('user') || '');
    const bytes = new TextEncoder().encode(`${user}:${String(f.get('password') || '')}`);
    state.auth = token ? `Bearer ${token}` : `Basic ${btoa(String.fromCharCode(...bytes))}`;
    sessionStorage.setItem('tributary.auth', state.auth);
    ev.target.reset();
    $('#sign-in').hidden = true;
    document.querySelector('main').hidden = false;
    notice('');
    void refresh();
  });
  $('#sign-out').addEventListener('click', () => {
    sessionStorage.removeItem('tributary.auth');
    state.auth = null;
    state.principal = null;
    showSignIn();
  });
}

// ---- polling ----------------------------------------------------------------------------------

async function refresh() {
  clearTimeout(state.pollTimer);
  try {
    const [connectors, overview, history] = await Promise.all([
      api('GET', '/connectors?expand=status&expand=info'),
      api('GET', '/tributary/console/overview'),
      api('GET', '/tributary/console/history?minutes=60'),
    ]);
    state.connectors = connectors;
    state.overview = overview;
    state.history = history;
    state.principal = overview.principal;
    render();
    if (state.readError) notice('');
    state.readError = false;
  } catch (err) {
    if (err.status === 401) return;
    state.readError = true;
    notice(`Cannot read the worker: ${err.message}`, true);
  }
  state.pollTimer = setTimeout(refresh, POLL_MS);
}

function render() {
  const o = state.overview;
  $('#worker').textContent = `worker ${o.version}`;
  const p = state.principal;
  $('#who').textContent = p && p.scheme !== 'anonymous' ? `${p.name} (${p.role})` : 'authentication off';
  $('#sign-out').hidden = !state.auth;
  const problems = o.problems.filter((x) => x.level !== 'WARN').length;
  $('#problem-count').textContent = problems > 0 ? String(problems) : '';
  renderConnectorTable();
  renderCharts();
  renderDetail();
  renderErrors();
}

// ---- connectors -------------------------------------------------------------------------------

const fmt = (n) =>
  n === null || n === undefined ? '–' : n >= 100 ? Math.round(n).toLocaleString() : Number(n.toFixed(2)).toString();

function progressOf(summary) {
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

function progressBar(p) {
  if (!p) return el('span', { class: 'muted' }, '–');
  return el(
    'div',
    { class: 'progress', 'data-progress': p.kind, 'data-ratio': p.ratio.toFixed(3) },
    el('div', { class: 'bar' }, el('div', { style: { width: `${Math.round(p.ratio * 100)}%` } })),
    el('small', {}, p.text),
  );
}

function renderConnectorTable() {
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

async function loadDetail(name) {
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

function renderDetail() {
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

// ---- charts -----------------------------------------------------------------------------------

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

function renderCharts() {
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

// ---- errors -----------------------------------------------------------------------------------

function renderErrors() {
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

// ---- topics -----------------------------------------------------------------------------------

async function loadTopics() {
  const list = $('#topic-list');
  try {
    const topics = await api('GET', '/tributary/topics');
    $('#topics-note').textContent = `${topics.length} topics`;
    list.replaceChildren(
      ...topics
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((t) =>
          el(
            'li',
            {},
            el(
              'button',
              {
                type: 'button',
                class: state.topic === t.name ? 'active' : '',
                'data-topic': t.name,
                onclick: () => openTopic(t.name),
              },
              `${t.name} (${t.partitions})`,
            ),
          ),
        ),
    );
  } catch (err) {
    $('#topics-note').textContent = `Cannot list topics: ${err.message}`;
  }
}

async function openTopic(name, cursor) {
  state.topic = name;
  const box = $('#topic-detail');
  try {
    const desc = await api('GET', `/tributary/topics/${encodeURIComponent(name)}`);
    const q = new URLSearchParams({ limit: '50' });
    if (cursor) q.set('cursor', cursor);
    else q.set('from', 'beginning');
    const page = await api('GET', `/tributary/topics/${encodeURIComponent(name)}/records?${q}`);
    box.replaceChildren(
      el('h2', {}, name),
      el(
        'p',
        { class: 'muted' },
        desc.partitions.map((p) => `partition ${p.partition}: offsets ${p.start_offset}–${p.end_offset}`).join(' · '),
      ),
      el(
        'table',
        { id: 'records' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', {}, 'Partition'),
            el('th', {}, 'Offset'),
            el('th', {}, 'Time'),
            el('th', {}, 'Key'),
            el('th', {}, 'Value'),
          ),
        ),
        el(
          'tbody',
          {},
          page.records.map((r) =>
            el(
              'tr',
              { 'data-offset': r.offset },
              el('td', {}, String(r.partition)),
              el('td', {}, String(r.offset)),
              el('td', {}, new Date(r.timestamp).toLocaleString()),
              el('td', {}, el('pre', {}, typeof r.key === 'string' ? r.key : JSON.stringify(r.key))),
              el('td', {}, el('pre', {}, typeof r.value === 'string' ? r.value : JSON.stringify(r.value, null, 2))),
            ),
          ),
        ),
      ),
      page.at_end
        ? el('p', { class: 'muted' }, 'End of the topic.')
        : el('button', { type: 'button', onclick: () => openTopic(name, page.next_cursor) }, 'Next page'),
      ' ',
      el('button', { type: 'button', onclick: () => openTopic(name) }, 'From the beginning'),
    );
  } catch (err) {
    box.replaceChildren(el('p', { class: 'muted' }, `Cannot read ${name}: ${err.message}`));
  }
  void loadTopics();
}

// ---- views ------------------------------------------------------------------------------------

function setupTabs() {
  for (const tab of document.querySelectorAll('.tab')) {
    tab.addEventListener('click', () => {
      state.view = tab.dataset.view;
      for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t === tab);
      for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== `view-${state.view}`;
      if (state.view === 'topics') void loadTopics();
    });
  }
}

setupSignIn();
setupTabs();
void refresh();
