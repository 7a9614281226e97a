/* global document */
// Tributary web console: plain browser JavaScript, no build step. Reads and actions go through the
// worker's REST API (Kafka Connect's paths, /tributary/console/* and /tributary/topics/*), so the
// worker's authentication, roles and redaction apply. Text is always set with textContent.
// This entry module draws the header and the tabs and starts polling; the views are modules of their
// own (native ES modules, served flat from this folder by runtime/rest/ui/console-routes.ts).
import { renderCharts } from './charts.js';
import { renderDetail } from './connector-detail.js';
import { renderConnectorTable } from './connector-table.js';
import { $ } from './dom.js';
import { renderErrors } from './errors-view.js';
import { onWorkerRead, refresh } from './poll.js';
import { setupSignIn } from './session.js';
import { state } from './state.js';
import { loadTopics } from './topics-view.js';

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

onWorkerRead(render);
setupSignIn(refresh);
setupTabs();
void refresh();
