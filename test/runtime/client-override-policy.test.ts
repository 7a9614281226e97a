/**
 * connector.client.config.override.policy through a worker's validation, as Kafka Connect's
 * AbstractHerder.validateClientOverrides: None refuses every override, Principal all but the
 * login keys, All (the default) only keys the Kafka transport cannot honour.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { testPlugins } from '../helpers/test-plugins.ts';

const workers: RunningWorker[] = [];
afterAll(async () => {
  await Promise.allSettled(workers.map((w) => w.stop()));
});

async function errorsFor(
  policy: string | undefined,
  config: Record<string, string>,
): Promise<Record<string, string[]>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-policy-'));
  const worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': dir,
      'tributary.log.sync': 'os',
      ...(policy ? { 'connector.client.config.override.policy': policy } : {}),
    },
    { plugins: testPlugins, logger: silentLogger },
  );
  workers.push(worker);
  const res = await fetch(`${worker.url}/connector-plugins/test.CounterSourceConnector/config/validate`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ 'connector.class': 'test.CounterSourceConnector', name: 'p', ...config }),
  });
  const body = (await res.json()) as { configs: Array<{ value: { name: string; errors: string[] } }> };
  return Object.fromEntries(
    body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]),
  );
}

const overrides = {
  'producer.override.acks': 'all',
  'producer.override.sasl.mechanism': 'PLAIN',
  'producer.override.partitioner.class': 'x',
};

describe('connector.client.config.override.policy', () => {
  it('All (default): only keys the transport cannot honour are errors', async () => {
    expect(await errorsFor(undefined, overrides)).toEqual({
      'producer.override.partitioner.class': [
        expect.stringMatching(/producer.override.partitioner.class is not supported by the Kafka transport/),
      ],
    });
  });

  it("None: every override is refused with Kafka Connect's message", async () => {
    expect(await errorsFor('None', overrides)).toEqual({
      'producer.override.acks': [
        "The 'None' policy does not allow 'acks' to be overridden in the connector configuration.",
      ],
      'producer.override.sasl.mechanism': [
        "The 'None' policy does not allow 'sasl.mechanism' to be overridden in the connector configuration.",
      ],
      'producer.override.partitioner.class': [
        "The 'None' policy does not allow 'partitioner.class' to be overridden in the connector configuration.",
      ],
    });
  });

  it('Principal: the login keys only', async () => {
    const errors = await errorsFor(
      'org.apache.kafka.connect.connector.policy.PrincipalConnectorClientConfigOverridePolicy',
      overrides,
    );
    expect(Object.keys(errors).sort()).toEqual(['producer.override.acks', 'producer.override.partitioner.class']);
    expect(errors['producer.override.acks']).toEqual([
      "The 'Principal' policy does not allow 'acks' to be overridden in the connector configuration.",
    ]);
  });
});
