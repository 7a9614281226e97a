// Polling: reads the connectors, the overview and the history every POLL_MS, then has the page drawn again.
import { api } from './api.js';
import { notice } from './dom.js';
import { state } from './state.js';

const POLL_MS = 2000;
let renderPage = () => {};

/** What draws the page after each read, set once by console.js: the views call refresh, so this module cannot import them. */
export function onWorkerRead(render) {
  renderPage = render;
}

export async function refresh() {
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
    renderPage();
    if (state.readError) notice('');
    state.readError = false;
  } catch (err) {
    if (err.status === 401) return;
    state.readError = true;
    notice(`Cannot read the worker: ${err.message}`, true);
  }
  state.pollTimer = setTimeout(refresh, POLL_MS);
}
