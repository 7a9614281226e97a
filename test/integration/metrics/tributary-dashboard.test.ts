/**
 * examples/grafana/tributary-dashboard.json against a live worker (a PostgreSQL source with its
 * Debezium snapshot and streaming beans, a file source and a file sink on the embedded log): every
 * series selector of every panel — metric name and label matchers — matches a series /metrics
 * exports, every label a panel groups by or puts in its legend is on those series, and the layout is
 * one Grafana can import (unique ids, 24-column grid, the data source variable).
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}
interface Selector {
  name: string;
  matchers: Matcher[];
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { uid: string };
  targets?: Array<{ refId: string; expr: string; legendFormat?: string }>;
}

/** Labels Prometheus adds when it scrapes (not the worker's). */
const SCRAPE_LABELS = new Set(['instance', 'job']);
/** Dashboard variables as "All" selects them. */
const VARIABLES: Record<string, string> = { $connector: '.*' };

const dashboard = JSON.parse(
  fs.readFileSync(new URL('../../../examples/grafana/tributary-dashboard.json', import.meta.url), 'utf8'),
) as { panels: Panel[]; templating: { list: Array<{ name: string }> } };

function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`Not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** Every `name{matchers}` in a PromQL expression (the dashboard writes every selector with braces). */
function selectorsOf(expr: string): Selector[] {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/g)].map((m) => ({
    name: m[1],
    matchers: [...m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"/g)].map((x) => ({
      label: x[1],
      op: x[2] as Matcher['op'],
      value: x[3],
    })),
  }));
}

function matches(s: Sample, sel: Selector): boolean {
  if (s.name !== sel.name) return false;
  return sel.matchers.every((m) => {
    if (SCRAPE_LABELS.has(m.label)) return true;
    const value = VARIABLES[m.value] ?? m.value;
    const got = s.labels[m.label] ?? '';
    const re = new RegExp(`^(?:${value})$`);
    switch (m.op) {
      case '=':
        return got === value;
      case '!=':
        return got !== value;
      case '=~':
        return re.test(got);
      case '!~':
        return !re.test(got);
    }
  });
}

/** Labels an expression needs on its series: by (…) groupings and {{label}} in the legend. */
function labelsNeeded(expr: string, legend: string | undefined): string[] {
  const by = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((m) =>
    m[1]
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  const legendLabels = [...(legend ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]);
  return [...new Set([...by, ...legendLabels])].filter((l) => !SCRAPE_LABELS.has(l));
}

let worker: RunningWorker | undefined;
let pg: PgTestDb | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-dash-'));
afterAll(async () => {
  await worker?.stop();
  await pg?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function create(name: string, config: Record<string, string>): Promise<void> {
  const res = await fetch(`${worker!.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, config }),
  });
  if (res.status !== 201) throw new Error(`POST /connectors ${name}: ${res.status} ${await res.text()}`);
}

const scrape = async (): Promise<Sample[]> => parseExposition(await (await fetch(`${worker!.url}/metrics`)).text());

describe('examples/grafana/tributary-dashboard.json', () => {
  it('is a dashboard Grafana can import: unique ids, panels inside the 24-column grid, every query on the data source variable', () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      if (p.type === 'row') continue;
      expect(p.datasource?.uid, p.title).toBe('${datasource}');
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      expect(new Set(p.targets!.map((t) => t.refId)).size, p.title).toBe(p.targets!.length);
    }
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(
      expect.arrayContaining(['datasource', 'instance', 'connector']),
    );
    const titles = dashboard.panels.filter((p) => p.type === 'row').map((p) => p.title);
    expect(titles).toEqual(['Worker', 'Connectors', 'Tasks', 'Debezium']);
  });

  it(
    'every series each panel queries is exported by a live worker, with the labels the panel groups and names by',
    { timeout: 300_000 },
    async () => {
      pg = await createPgTestDb('dashown');
      await pg.query('CREATE TABLE public.items (id int PRIMARY KEY, name text)');
      await pg.query("INSERT INTO public.items SELECT g, 'item-' || g FROM generate_series(1, 40) g");
      fs.writeFileSync(path.join(dir, 'in.txt'), 'a\nb\nc\n');
      worker = await startStandaloneWorker(
        {
          listeners: 'http://127.0.0.1:0',
          'tributary.data.dir': path.join(dir, 'data'),
          'offset.flush.interval.ms': '100',
          'tributary.log.sync': 'os',
          'file.allowed.paths': dir,
        },
        { logger: silentLogger },
      );
      await create('dash-pg', pg.connectorConfig());
      await create('dash-file-source', {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        file: path.join(dir, 'in.txt'),
        topic: 'dash-lines',
      });
      await create('dash-file-sink', {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        file: path.join(dir, 'out.txt'),
        topics: `dash-lines,${pg.name}.public.items`,
      });
      const completed: Selector = {
        name: 'debezium_metrics_SnapshotCompleted',
        matchers: [{ label: 'name', op: '=', value: pg.name }],
      };
      await waitFor(async () => (await scrape()).some((s) => matches(s, completed) && s.value === 1), {
        what: 'the PostgreSQL snapshot to complete',
        timeoutMs: 180_000,
      });
      await pg.query("INSERT INTO public.items VALUES (1001, 'streamed')");
      const behind: Selector = {
        name: 'debezium_metrics_MilliSecondsBehindSource',
        matchers: [{ label: 'name', op: '=', value: pg.name }],
      };
      await waitFor(async () => (await scrape()).some((s) => matches(s, behind) && s.value >= 0), {
        what: 'a streamed change (MilliSecondsBehindSource >= 0)',
        timeoutMs: 30_000,
      });
      await waitFor(
        async () =>
          fs.existsSync(path.join(dir, 'out.txt')) &&
          fs.readFileSync(path.join(dir, 'out.txt'), 'utf8').includes('streamed'),
        { what: 'the sink to write the streamed change', timeoutMs: 30_000 },
      );

      const samples = await scrape();
      const problems: string[] = [];
      let checked = 0;
      for (const p of dashboard.panels) {
        for (const t of p.targets ?? []) {
          const selectors = selectorsOf(t.expr);
          if (selectors.length === 0) problems.push(`${p.title} ${t.refId}: no series selector in ${t.expr}`);
          const needed = labelsNeeded(t.expr, t.legendFormat);
          for (const sel of selectors) {
            checked++;
            const found = samples.filter((s) => matches(s, sel));
            if (found.length === 0)
              problems.push(
                `${p.title} ${t.refId}: nothing matches ${sel.name}{${sel.matchers.map((m) => `${m.label}${m.op}"${m.value}"`).join(',')}}`,
              );
            else
              for (const l of needed)
                if (!found.some((s) => s.labels[l] !== undefined))
                  problems.push(`${p.title} ${t.refId}: ${sel.name} has no label ${l}`);
          }
        }
      }
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(50);
      // What the panels show is there: the snapshot's rows per table, the sink's connector-level state.
      expect(
        samples.find((s) =>
          matches(s, {
            name: 'debezium_metrics_RowsScanned',
            matchers: [
              { label: 'name', op: '=', value: pg!.name },
              { label: 'table', op: '=', value: 'public.items' },
            ],
          }),
        )?.value,
      ).toBe(40);
      expect(
        samples.find((s) =>
          matches(s, {
            name: 'kafka_connect_connector_status',
            matchers: [
              { label: 'connector', op: '=', value: 'dash-file-sink' },
              { label: 'status', op: '=', value: 'running' },
            ],
          }),
        )?.value,
      ).toBe(1);
    },
  );
});
