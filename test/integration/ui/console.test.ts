/**
 * The web console at /ui in headless Debian chromium (playwright-core drives it; test/setup/chromium.ts
 * installs the browser when missing): a worker with REST authentication on runs file source →
 * embedded log → file sink; the console signs in, shows the pipeline running with its charts, a
 * failed connector's trace and the recent errors, the redacted config and the topic browser; its
 * pause button pauses (checked through REST), stop + reset offsets and delete work, and a read-only
 * user gets no action buttons and a 403 if it tries. Screenshots go to test-output/ui/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { createLogger } from '../../../runtime/logging.ts';
import { CHROMIUM_ARGS, ensureChromium } from '../../setup/chromium.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';

const SHOTS = path.resolve('test-output/ui');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-ui-'));
const input = path.join(dir, 'input.txt');
const output = path.join(dir, 'output.txt');
const ADMIN = { user: 'ops-admin', password: 'admin-pw-1' };
const READER = { user: 'viewer', password: 'viewer-pw-2' };
const SECRET = 'sink-secret-value-42';
const auth = (u: { user: string; password: string }) => ({
  authorization: `Basic ${Buffer.from(`${u.user}:${u.password}`).toString('base64')}`,
});

let worker: RunningWorker;
let pg: PgTestDb | undefined;
let context: BrowserContext;
let appender: NodeJS.Timeout | undefined;
let userDataDir: string | undefined;
const logLines: string[] = [];

async function rest(method: string, p: string, who = ADMIN): Promise<{ status: number; json: any }> {
  const res = await fetch(`${worker.url}${p}`, { method, headers: auth(who) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function create(name: string, config: Record<string, string>): Promise<void> {
  const res = await fetch(`${worker.url}/connectors`, {
    method: 'POST',
    headers: { ...auth(ADMIN), 'content-type': 'application/json' },
    body: JSON.stringify({ name, config }),
  });
  if (res.status !== 201) throw new Error(`POST /connectors ${name}: ${res.status} ${await res.text()}`);
}

async function signIn(page: Page, who: { user: string; password: string }): Promise<void> {
  await page.goto(`${worker.url}/ui`);
  await page.locator('#sign-in').waitFor({ state: 'visible' });
  await page.fill('#sign-in input[name=user]', who.user);
  await page.fill('#sign-in input[name=password]', who.password);
  await page.click('#sign-in button[type=submit]');
  await page.locator('#who').filter({ hasText: who.user }).waitFor();
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

beforeAll(async () => {
  const executablePath = await ensureChromium();
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'users'),
    `${ADMIN.user}: ${ADMIN.password}, admin\n${READER.user}: ${READER.password}, read\n`,
  );
  fs.writeFileSync(input, 'line-1\nline-2\n');
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'tributary.log.sync': 'os',
      'offset.flush.interval.ms': '200',
      'file.allowed.paths': dir,
      'rest.auth.credentials.file': path.join(dir, 'users'),
    },
    { logger: createLogger({ level: 'info', destination }) },
  );
  pg = await createPgTestDb('uipg');
  await pg.query('CREATE TABLE public.customers (id int PRIMARY KEY, name text)');
  await pg.query("INSERT INTO public.customers SELECT g, 'customer-' || g FROM generate_series(1, 25) g");
  await create('ui-postgres', pg.connectorConfig());
  await create('ui-file-source', {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    file: input,
    topic: 'ui-lines',
    'tasks.max': '1',
  });
  await create('ui-file-sink', {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    file: output,
    topics: 'ui-lines',
    'tasks.max': '1',
    'sink.db.password': SECRET,
  });
  // Every line fails its transform ("line-N" is no int32): tolerated, and sent to the dead letter queue.
  await create('ui-dlq-sink', {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    file: path.join(dir, 'dlq-out.txt'),
    topics: 'ui-lines',
    'tasks.max': '1',
    transforms: 'cast',
    'transforms.cast.type': 'org.apache.kafka.connect.transforms.Cast$Value',
    'transforms.cast.spec': 'int32',
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': 'ui-dlq',
  });
  // Its file is a directory: the task fails at start, with a trace and an ERROR line.
  fs.mkdirSync(path.join(dir, 'a-directory'));
  await create('ui-broken-sink', {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    file: path.join(dir, 'a-directory'),
    topics: 'ui-lines',
    'tasks.max': '1',
  });
  let n = 3;
  appender = setInterval(() => fs.appendFileSync(input, `line-${n++}\n`), 200);
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-ui-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
}, 600_000); // a fresh machine installs chromium first (apt-get: minutes)

afterAll(async () => {
  clearInterval(appender);
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  await worker?.stop();
  await pg?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('web console at /ui', () => {
  it('serves its files without credentials, with a strict content security policy; the API still needs them', async () => {
    const page = await fetch(`${worker.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//); // nothing loaded from elsewhere
    expect((await fetch(`${worker.url}/ui/console.js`)).headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await fetch(`${worker.url}/ui/../connectors`)).status).toBe(401);
    expect((await fetch(`${worker.url}/ui/nope.js`)).status).toBe(404);
    expect((await fetch(`${worker.url}/tributary/console/overview`)).status).toBe(401);
    // The REST guard still refuses what a cross-site form could send.
    const forged = await fetch(`${worker.url}/connectors/ui-file-source/restart`, {
      method: 'POST',
      headers: { ...auth(ADMIN), 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(forged.status).toBe(415);
  });

  it(
    'shows the running pipeline; pause pauses (through REST); stop, reset offsets, resume and delete work',
    { timeout: 360_000 },
    async () => {
      const page = await context.newPage();
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) pageErrors.push(m.text());
      });
      page.on('dialog', (d) => void d.accept());
      await signIn(page, ADMIN);

      const row = (name: string) => page.locator(`tr[data-connector="${name}"]`);
      await row('ui-file-source').locator('[data-state="RUNNING"]').waitFor({ timeout: 30_000 });
      await row('ui-file-sink').locator('[data-state="RUNNING"]').waitFor();
      await expect.poll(() => row('ui-broken-sink').textContent(), { timeout: 30_000 }).toContain('0:FAILED');
      await waitFor(async () => fs.existsSync(output) && fs.readFileSync(output, 'utf8').includes('line-5'), {
        what: 'the file sink to write lines',
        timeoutMs: 30_000,
      });
      // Throughput chart: at least two samples with the source's line (one sample every 5 s).
      await page.locator('#chart-throughput polyline[data-series="ui-file-source"]').waitFor({ timeout: 20_000 });
      await expect
        .poll(async () => Number(await page.locator('#chart-throughput').getAttribute('data-points')), {
          timeout: 20_000,
        })
        .toBeGreaterThanOrEqual(2);
      await expect
        .poll(async () => Number(await row('ui-file-source').locator('td').nth(5).textContent()), { timeout: 70_000 })
        .toBeGreaterThan(0);
      // The PostgreSQL source's snapshot: its progress bar full, with the row count.
      const snapshotBar = row('ui-postgres').locator('[data-progress="snapshot"]');
      // Creating the replication slot waits for every open write transaction of the server: generous under a loaded suite.
      await expect.poll(() => snapshotBar.getAttribute('data-ratio'), { timeout: 180_000 }).toBe('1.000');
      expect(await snapshotBar.textContent()).toContain('snapshot done: 25 rows');
      // A streamed change: the source-lag chart gets the connector's line (Debezium's MilliSecondsBehindSource).
      await pg!.query("INSERT INTO public.customers VALUES (1001, 'streamed')");
      await page
        .locator('#chart-behind polyline[data-series="ui-postgres"]')
        .waitFor({ state: 'attached', timeout: 30_000 });
      await page.locator('#chart-lag polyline[data-series="ui-file-sink"]').waitFor({ state: 'attached' });
      // The dead letter queue count of the failing sink, in the table and on the Errors view.
      await expect
        .poll(async () => Number(await page.locator('td[data-dlq="ui-dlq-sink"]').textContent()), { timeout: 30_000 })
        .toBeGreaterThan(0);
      await shot(page, '01-connectors-running');

      // A failed task's trace is on its detail.
      await row('ui-broken-sink').click();
      await page.locator('#detail tr[data-task="0"] details').waitFor();
      expect(await page.locator('#detail tr[data-task="0"] pre').textContent()).toMatch(/EISDIR|directory/i);
      await shot(page, '02-failed-task-trace');

      // Config with the secret hidden by the worker.
      await row('ui-file-sink').click();
      await page.locator('#config').waitFor();
      const configText = await page.locator('#config').textContent();
      expect(configText).toContain('sink.db.password');
      expect(configText).toContain('[hidden]');
      expect(await page.content()).not.toContain(SECRET);
      await shot(page, '03-sink-config-redacted');

      // Pause through the button, checked through REST.
      await row('ui-file-source').click();
      await page.click('#detail button[data-action="pause"]');
      await waitFor(
        async () => {
          const s = (await rest('GET', '/connectors/ui-file-source/status')).json;
          return s.connector.state === 'PAUSED' && s.tasks.every((t: { state: string }) => t.state === 'PAUSED');
        },
        { what: 'the source to be PAUSED through REST', timeoutMs: 15_000 },
      );
      await page.locator('#detail-state', { hasText: 'PAUSED' }).waitFor();
      await row('ui-file-source').locator('[data-state="PAUSED"]').waitFor();
      await shot(page, '04-source-paused');

      await page.click('#detail button[data-action="resume"]');
      await waitFor(
        async () => (await rest('GET', '/connectors/ui-file-source/status')).json.connector.state === 'RUNNING',
        { what: 'the source to resume', timeoutMs: 15_000 },
      );

      // Stop the sink, reset its offsets: the REST offsets come back empty.
      await row('ui-file-sink').click();
      await page.click('#detail button[data-action="stop"]');
      await waitFor(
        async () => (await rest('GET', '/connectors/ui-file-sink/status')).json.connector.state === 'STOPPED',
        { what: 'the sink to stop', timeoutMs: 15_000 },
      );
      await page.locator('#detail button[data-action="reset-offsets"]:not([disabled])').waitFor();
      expect((await rest('GET', '/connectors/ui-file-sink/offsets')).json.offsets.length).toBeGreaterThan(0);
      await page.click('#detail button[data-action="reset-offsets"]');
      await waitFor(async () => (await rest('GET', '/connectors/ui-file-sink/offsets')).json.offsets.length === 0, {
        what: 'the sink offsets to be reset',
        timeoutMs: 15_000,
      });
      await page.click('#detail button[data-action="resume"]');
      await waitFor(
        async () => (await rest('GET', '/connectors/ui-file-sink/status')).json.connector.state === 'RUNNING',
        { what: 'the sink to resume', timeoutMs: 15_000 },
      );

      // Delete the broken connector.
      await row('ui-broken-sink').click();
      await page.click('#detail button[data-action="delete"]');
      await waitFor(async () => (await rest('GET', '/connectors/ui-broken-sink')).status === 404, {
        what: 'the connector to be deleted',
        timeoutMs: 15_000,
      });
      await row('ui-broken-sink').waitFor({ state: 'detached' });

      // Recent errors: the failed task's ERROR line, with its connector and task.
      await page.click('.tab[data-view="errors"]');
      await page.locator('#problems li.ERROR', { hasText: 'ui-broken-sink|task-0' }).first().waitFor();
      const dlqRow = page.locator('#error-counts tr', { hasText: 'ui-dlq-sink' });
      expect(Number(await dlqRow.locator('td').nth(4).textContent())).toBeGreaterThan(0);
      expect(Number(await dlqRow.locator('td').nth(1).textContent())).toBeGreaterThan(0);
      await shot(page, '05-errors');

      // Topic browser on the topic console's endpoints: the source's lines.
      await page.click('.tab[data-view="topics"]');
      await page.click('#topic-list button[data-topic="ui-lines"]');
      await page.locator('#records tbody tr').first().waitFor();
      expect(await page.locator('#records').textContent()).toContain('line-1');
      await shot(page, '06-topic-browser');

      expect(pageErrors).toEqual([]);
      await page.close();
    },
  );

  it('a read-only user sees the pipeline but gets no action buttons, and a 403 if it calls one', async () => {
    const page = await context.newPage();
    await signIn(page, READER);
    await page.locator('tr[data-connector="ui-file-source"] [data-state="RUNNING"]').waitFor({ timeout: 15_000 });
    await page.click('tr[data-connector="ui-file-source"]');
    for (const action of ['pause', 'restart', 'stop', 'delete'])
      expect(await page.locator(`#detail button[data-action="${action}"]`).isDisabled(), action).toBe(true);
    const status = await page.evaluate(async () => {
      const res = await fetch('/connectors/ui-file-source/pause', {
        method: 'PUT',
        headers: { authorization: sessionStorage.getItem('tributary.auth') ?? '' },
      });
      return res.status;
    });
    expect(status).toBe(403);
    expect((await rest('GET', '/connectors/ui-file-source/status')).json.connector.state).toBe('RUNNING');
    await shot(page, '07-read-only');
    await page.close();
  });
});
