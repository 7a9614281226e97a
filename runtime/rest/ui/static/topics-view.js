/* global URLSearchParams */
// The topics view: the topic list and a page of records of the chosen topic (via /tributary/topics).
import { api } from './api.js';
import { $, el } from './dom.js';
import { state } from './state.js';

export async function loadTopics() {
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
