/**
 * Boots a distributed worker (connect-distributed): records on Kafka, connector configs, source
 * offsets and statuses in the compacted internal topics, membership in the `group.id` group.
 * Each worker runs the connectors that ownership.ts gives it for the current member list; a
 * REST request about a connector is forwarded to the worker that owns it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KafkaTransport } from '../transport/kafka-transport.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import { createPluginRegistry } from '../plugins/builtins.ts';
import { buildRestServer } from '../rest/server.ts';
import { createLogger, LogLevels } from '../logging.ts';
import { ConfigException } from '../errors.ts';
import { resolveConfig } from '../config/providers.ts';
import { StandaloneHerder, defaultWorkerId } from '../worker/herder.ts';
import { VERSION, COMMIT } from '../version.ts';
import type { StartWorkerOptions } from '../worker/worker.ts';
import { DistributedConfig } from './distributed-config.ts';
import { CONFIG_NAMESPACE, KafkaBackedStore, OFFSET_NAMESPACE, STATUS_NAMESPACE } from './kafka-backed-store.ts';
import { WorkerGroup, type GroupView, type WorkerIdentity } from './worker-group.ts';
import { ownerOf } from './ownership.ts';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientConfig } from '../transport/kafka-client-config.ts';

export interface RunningDistributedWorker {
  herder: StandaloneHerder;
  rest: FastifyInstance;
  url: string;
  self: WorkerIdentity;
  /** The member list of the current generation (null while joining or rebalancing). */
  view(): GroupView | null;
  stop(): Promise<void>;
}

const FORWARDED = 'x-tributary-forwarded';
const REBALANCING = { error_code: 409, message: 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)' };

/**
 * Reads every worker answers from the config and status topics itself, as Kafka Connect does: they
 * must keep working while the owner is unreachable (dead, or frozen before the group notices).
 */
const LOCAL_READS = [/^\/connectors\/[^/]+$/, /^\/connectors\/[^/]+\/(status|config|topics)$/, /^\/connectors\/[^/]+\/tasks\/\d+\/status$/];

/** The connector a REST request is about, if any. */
function connectorOfRequest(req: FastifyRequest): string | null {
  const path = req.url.split('?')[0];
  const m = /^\/connectors\/([^/]+)/.exec(path);
  if (m) return decodeURIComponent(m[1]);
  if (req.method === 'POST' && path === '/connectors') {
    const name = (req.body as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name.trim() ? name.trim() : null;
  }
  return null;
}

async function clusterIdOf(props: Record<string, string>): Promise<string> {
  const admin = new Kafka({ ...kafkaClientConfig(props, 'tributary-worker-admin'), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).clusterId;
  } finally {
    await admin.disconnect();
  }
}

export async function startDistributedWorker(rawProps: Record<string, string>, opts: StartWorkerOptions = {}): Promise<RunningDistributedWorker> {
  const props = resolveConfig(rawProps);
  const config = new DistributedConfig(props);
  const logger = opts.logger ?? createLogger({ level: props['tributary.log.level'] });
  const defaultPartitions = config.getInt('tributary.log.default.partitions');
  const groupId = config.getString('group.id');
  const configTopic = config.getString('config.storage.topic');
  const storeTopics = { [CONFIG_NAMESPACE]: configTopic, [OFFSET_NAMESPACE]: config.getString('offset.storage.topic'), [STATUS_NAMESPACE]: config.getString('status.storage.topic') };
  const exactlyOnce = config.getString('exactly.once.source.support') === 'enabled' ? { transactionalIdPrefix: groupId } : undefined;
  const transport = new KafkaTransport({ props, logger, defaultPartitions, storeTopics });
  try {
    await transport.connect();
  } catch (err) {
    throw new ConfigException(`Cannot reach the Kafka brokers in bootstrap.servers (${config.getList('bootstrap.servers').join(',')}): ${(err as Error).message}`, { key: 'bootstrap.servers', cause: err });
  }
  const store = new KafkaBackedStore({
    props, clientId: `tributary-${groupId}`, logger,
    topics: [
      { namespace: CONFIG_NAMESPACE, topic: configTopic, partitions: 1, replicationFactor: config.getInt('config.storage.replication.factor') },
      { namespace: OFFSET_NAMESPACE, topic: storeTopics[OFFSET_NAMESPACE], partitions: config.getInt('offset.storage.partitions'), replicationFactor: config.getInt('offset.storage.replication.factor') },
      { namespace: STATUS_NAMESPACE, topic: storeTopics[STATUS_NAMESPACE], partitions: config.getInt('status.storage.partitions'), replicationFactor: config.getInt('status.storage.replication.factor') },
    ],
  });
  let group: WorkerGroup | undefined;
  let rest: FastifyInstance | undefined;
  let herder: StandaloneHerder | undefined;
  try {
    await store.start();
    const plugins = createPluginRegistry(opts.plugins ?? []);
    const loaded = await plugins.loadPluginPath(config.getList('plugin.path'));
    if (loaded.length) logger.info({ packages: loaded }, 'Loaded plugin packages');
    const metrics = new MetricsRegistry();
    const logLevels = new LogLevels(logger);
    let view: GroupView | null = null;
    let self: WorkerIdentity = { id: '', url: '' };
    const cluster = {
      owns: (name: string) => view !== null && ownerOf(name, view.members)?.id === self.id,
      generation: () => view?.generation ?? -1,
      exactlyOnce,
    };
    const { host, port } = config.listener;
    const advertisedHost = config.getOptionalString('rest.advertised.host.name');
    herder = new StandaloneHerder({ worker: config, plugins, transport, store, metrics, logger, logLevels, workerId: defaultWorkerId(advertisedHost, port), cluster });
    const h = herder;

    const forward = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
      const name = connectorOfRequest(req);
      if (name === null || req.headers[FORWARDED]) return false;
      if (req.method === 'GET' && LOCAL_READS.some((r) => r.test(req.url.split('?')[0]))) return false;
      if (view === null) {
        if (req.method === 'GET') return false;
        await reply.status(409).send(REBALANCING);
        return true;
      }
      const owner = ownerOf(name, view.members);
      if (!owner || owner.id === self.id) return false;
      try {
        const res = await fetch(`${owner.url}${req.url}`, {
          method: req.method,
          headers: { 'content-type': 'application/json', accept: 'application/json', [FORWARDED]: self.id },
          body: req.body === undefined || req.method === 'GET' || req.method === 'HEAD' ? undefined : JSON.stringify(req.body),
          // Kafka Connect's REST request timeout; other reads are short so a frozen owner cannot stall them.
          signal: AbortSignal.timeout(req.method === 'GET' ? 10_000 : 90_000),
        });
        const location = res.headers.get('location');
        if (location) void reply.header('location', location);
        const text = await res.text();
        await reply.status(res.status).header('content-type', res.headers.get('content-type') ?? 'application/json').send(text === '' ? undefined : text);
        return true;
      } catch (err) {
        // The owner is unreachable (it may have died; the group will notice): reads fall back to this worker's view.
        if (req.method === 'GET') return false;
        logger.warn({ connector: name, owner: owner.id, err: (err as Error).message }, 'Could not forward a request to the owning worker');
        await reply.status(409).send(REBALANCING);
        return true;
      }
    };

    rest = await buildRestServer({ herder, metrics, logger, logLevels, version: VERSION, commit: COMMIT, clusterId: await clusterIdOf(props), forward });
    const address = await rest.listen({ host, port });
    const boundPort = Number(new URL(address).port);
    const workerId = defaultWorkerId(advertisedHost ?? (host === '0.0.0.0' ? null : host), config.getInt('rest.advertised.port') ?? boundPort);
    herder.workerId = workerId;
    const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${boundPort}`;
    self = { id: workerId, url: advertisedHost ? `http://${advertisedHost}:${config.getInt('rest.advertised.port') ?? boundPort}` : url };
    await herder.start();

    const reconcile = () => h.reconcile().catch((err: Error) => logger.error({ err: err.message }, 'Applying the connector assignment failed'));
    store.onChange((namespace, key) => {
      if (namespace === CONFIG_NAMESPACE && (key.startsWith('connector-') || key.startsWith('target-state-'))) void reconcile();
    });
    group = new WorkerGroup({
      props, groupId, topic: configTopic, self, logger,
      sessionTimeoutMs: config.getInt('session.timeout.ms'),
      heartbeatIntervalMs: config.getInt('heartbeat.interval.ms'),
      rebalanceTimeoutMs: config.getInt('rebalance.timeout.ms'),
      onRebalancing: () => undefined,
      onAssignment: (next) => {
        view = next;
        const restartAll = next.rejoined ? h.releaseAll() : Promise.resolve();
        if (next.rejoined) logger.warn({ generation: next.generation }, 'This worker dropped out of the group and rejoined: restarting its connectors from the stored state');
        void restartAll.then(() => store.readToEnd()).then(reconcile, (err: Error) => logger.error({ err: err.message }, 'Reading the config topic failed'));
      },
    });
    await group.start();
    logger.info({ url: address, workerId, groupId }, 'Tributary distributed worker started');
    let stopped = false;
    const g = group;
    const r = rest;
    return {
      herder, rest, url, self,
      view: () => view,
      async stop() {
        if (stopped) return;
        stopped = true;
        await r.close();
        await h.stop();
        await g.stop();
        await transport.close();
        await store.close();
      },
    };
  } catch (err) {
    await rest?.close().catch(() => undefined);
    await herder?.stop().catch(() => undefined);
    await group?.stop().catch(() => undefined);
    await transport.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}
