/**
 * Issue #13 item 2 in a two-worker distributed cluster (the test Kafka): writes entering through
 * the follower are forwarded to the leader with the caller's credentials and a KIP-507 signature;
 * a request that only claims to be forwarded is refused; the audit log and the responses hold no
 * planted secret.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startDistributedWorker, type RunningDistributedWorker } from '../../../app/workers.ts';
import { SESSION_KEY_RECORD, parseSessionKey, signRequest } from '../../../runtime/distributed/request-signing.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { testPlugins } from '../../helpers/test-plugins.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createCapture } from './capture.ts';

const id = randomUUID().slice(0, 8);
const ADMIN_PW = 'PLANTED-dist-admin-pw-8080';
const URL_PW = 'PLANTED-dist-url-pw-9090';
const capture = createCapture();
const workers: RunningDistributedWorker[] = [];
let dir: string;
let leader: RunningDistributedWorker;
let follower: RunningDistributedWorker;

const admin = () => capture.auth('alice', ADMIN_PW);
const reader = () => capture.auth('rick', 'read-pw');
const json = (body: unknown, headers: Record<string, string>) => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const config = (topic: string) => ({
  'connector.class': 'test.CounterSourceConnector',
  topic,
  'tasks.max': '1',
  'connection.url': `jdbc:postgresql://app:${URL_PW}@db.example/app`,
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-dist-sec-'));
  const credentials = path.join(dir, 'credentials.properties');
  fs.writeFileSync(credentials, `alice: ${ADMIN_PW}, admin\nrick: read-pw, read\n`);
  const props = {
    'bootstrap.servers': testKafkaBrokers().join(','),
    listeners: 'http://127.0.0.1:0',
    'group.id': `tributary-sec-${id}`,
    'config.storage.topic': `sec-${id}-configs`,
    'offset.storage.topic': `sec-${id}-offsets`,
    'status.storage.topic': `sec-${id}-status`,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.storage.partitions': '1',
    'status.storage.partitions': '1',
    'session.timeout.ms': '6000',
    'heartbeat.interval.ms': '1000',
    'rest.auth.credentials.file': credentials,
  };
  for (let i = 0; i < 2; i++)
    workers.push(await startDistributedWorker(props, { plugins: testPlugins, logger: capture.logger }));
  await waitFor(() => workers.every((w) => w.view()?.members.length === 2), {
    timeoutMs: 60_000,
    what: 'two workers in one generation',
  });
  leader = workers.find((w) => w.view()?.leaderId === w.self.id)!;
  follower = workers.find((w) => w !== leader)!;
  await waitFor(
    async () => {
      await follower.store.readToEnd();
      return follower.store.get('connect-configs', SESSION_KEY_RECORD) !== undefined;
    },
    { timeoutMs: 30_000, what: 'the session key in the config topic' },
  );
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('distributed forwarding with credentials', () => {
  it('the leader writes a KIP-507 session key to the config topic', () => {
    const record = JSON.parse(follower.store.get('connect-configs', SESSION_KEY_RECORD)!) as Record<string, unknown>;
    expect(record).toEqual({
      key: expect.any(String),
      algorithm: 'HmacSHA256',
      'creation-timestamp': expect.any(Number),
    });
  });

  it("a write through the follower is forwarded with the caller's credentials; roles are checked on the way in", async () => {
    const anon = await capture.fetch(`${follower.url}/connectors`, {
      method: 'POST',
      ...json({ name: `c-${id}`, config: config('t') }, {}),
    });
    expect(anon.status).toBe(401);
    const denied = await capture.fetch(`${follower.url}/connectors`, {
      method: 'POST',
      ...json({ name: `c-${id}`, config: config('t') }, reader()),
    });
    expect(denied.status).toBe(403);
    const created = await capture.fetch(`${follower.url}/connectors`, {
      method: 'POST',
      ...json({ name: `c-${id}`, config: config('t') }, admin()),
    });
    expect(created.status).toBe(201);
    expect(created.json.config['connection.url']).toBe('jdbc:postgresql://app:[hidden]@db.example/app');
    // The leader handled it as a request forwarded by the follower, on behalf of alice.
    const forwarded = capture
      .linesOf('tributary.audit')
      .find((l) => l.method === 'POST' && l.forwardedBy === follower.self.id);
    expect(forwarded).toMatchObject({ user: 'alice', status: 201 });
    const del = await capture.fetch(`${follower.url}/connectors/c-${id}`, { method: 'DELETE', headers: admin() });
    expect(del.status).toBe(204);
  });

  it('a request that claims to be forwarded needs a valid signature', async () => {
    const body = JSON.stringify({ name: `forged-${id}`, config: config('f') });
    const unsigned = await capture.fetch(`${leader.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tributary-forwarded': 'evil', ...admin() },
      body,
    });
    expect(unsigned.status).toBe(400);
    expect(unsigned.json).toEqual({ error_code: 400, message: 'Internal request missing required signature' });
    const wrongKey = { key: Buffer.alloc(32, 7), algorithm: 'HmacSHA256', creationTimestamp: Date.now() };
    const forged = await capture.fetch(`${follower.url}/connectors`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tributary-forwarded': 'evil',
        ...admin(),
        ...signRequest(wrongKey, 'HmacSHA256', 'POST', '/connectors', body),
      },
      body,
    });
    expect(forged.status).toBe(403);
    expect(forged.json).toEqual({ error_code: 403, message: 'Internal request contained invalid signature.' });
    // A real signature over another request does not carry over.
    const key = parseSessionKey(leader.store.get('connect-configs', SESSION_KEY_RECORD))!;
    const replayed = await capture.fetch(`${leader.url}/connectors/x-${id}`, {
      method: 'DELETE',
      headers: {
        'x-tributary-forwarded': 'evil',
        ...admin(),
        ...signRequest(key, 'HmacSHA256', 'POST', '/connectors', body),
      },
    });
    expect(replayed.status).toBe(403);
    expect((await capture.fetch(`${leader.url}/connectors`, { headers: admin() })).json).not.toContain(`forged-${id}`);
  });

  it('no planted secret in any log line or response body', () => {
    expect(capture.leaks([ADMIN_PW, URL_PW])).toEqual([]);
  });
});
