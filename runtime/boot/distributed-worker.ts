/**
 * Boots a distributed worker (connect-distributed): records on Kafka, connector configs, task
 * configs, source offsets and statuses in the compacted internal topics, membership in the
 * `group.id` group. Each worker runs the connector instances and tasks the group leader assigns
 * it; REST reads are answered from the internal topics, writes go to the leader, a task restart
 * to the worker running the task.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KafkaTransport } from '../transport/kafka-transport.ts';
import { MetricsRegistry } from '../metrics/registry.ts';
import type { MetricFamily } from '../metrics/prometheus.ts';
import { RebalanceStats, registerCoordinatorMetrics, registerRebalanceMetrics } from '../metrics/rebalance-metrics.ts';
import { PluginRegistry } from '../plugins/registry.ts';
import { checkWorkerPlugins, warnUnusedWorkerKeys } from '../worker/worker-checks.ts';
import { installProcessFaultHandlers, type ProcessFaults } from '../worker/process-faults.ts';
import { advertisedUrl, type WorkerListeners } from '../rest/worker-rest.ts';
import { serveWorkerRest } from './worker-rest-server.ts';
import {
  SESSION_KEY_RECORD,
  newSessionKeyRecord,
  parseSessionKey,
  signRequest,
  verifyRequest,
} from '../distributed/request-signing.ts';
import { createLogger, LogLevels } from '../logging.ts';
import { ConfigException } from '../errors.ts';
import { resolveWorkerProps } from '../config/providers.ts';
import { DistributedHerder } from '../distributed/distributed-herder.ts';
import { defaultWorkerId } from '../worker/worker-id.ts';
import type { StartWorkerOptions } from './standalone-worker.ts';
import { DISTRIBUTED_CONFIG_DEF, DistributedConfig } from '../distributed/distributed-config.ts';
import {
  CONFIG_NAMESPACE,
  KafkaBackedStore,
  OFFSET_NAMESPACE,
  STATUS_NAMESPACE,
} from '../distributed/kafka-backed-store.ts';
import { WorkerGroup, type GroupView, type WorkerIdentity } from '../distributed/worker-group.ts';
import { isStale, taskKey, type WorkAssignment } from '../distributed/assignor.ts';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientConfig } from '../transport/kafka-client-config.ts';
import { workerTopicConsole } from '../rest/topics-worker.ts';

export interface RunningDistributedWorker {
  herder: DistributedHerder;
  rest: FastifyInstance;
  /** The worker's copy of the internal topics. */
  store: KafkaBackedStore;
  url: string;
  /** Every bound listener and the banner lines describing them. */
  listeners: WorkerListeners;
  self: WorkerIdentity;
  /** The member list of the current generation (null while joining or rebalancing). */
  view(): GroupView | null;
  stop(): Promise<void>;
}

const FORWARDED = 'x-tributary-forwarded';
const REBALANCING = {
  error_code: 409,
  message: 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)',
};
const NO_LEADER = {
  error_code: 409,
  message: 'Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.',
};
const TASK_RESTART = /^\/connectors\/([^/]+)\/tasks\/(\d+)\/restart$/;

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
  const admin = new Kafka({
    ...kafkaClientConfig(props, 'tributary-worker-admin'),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    return (await admin.describeCluster()).clusterId;
  } finally {
    await admin.disconnect();
  }
}

export async function startDistributedWorker(
  rawProps: Record<string, string>,
  opts: StartWorkerOptions,
): Promise<RunningDistributedWorker> {
  // The worker's own placeholders resolve through its own config.providers (as AbstractConfig).
  const { props, providers: configProviders } = resolveWorkerProps(rawProps);
  const config = new DistributedConfig(props);
  const logger = opts.logger ?? createLogger({ level: props['tributary.log.level'], format: props['log.format'] });
  const defaultPartitions = config.getInt('tributary.log.default.partitions');
  const groupId = config.getString('group.id');
  const configTopic = config.getString('config.storage.topic');
  const storeTopics = {
    [CONFIG_NAMESPACE]: configTopic,
    [OFFSET_NAMESPACE]: config.getString('offset.storage.topic'),
    [STATUS_NAMESPACE]: config.getString('status.storage.topic'),
  };
  const exactlyOnce =
    config.getString('exactly.once.source.support') === 'enabled' ? { transactionalIdPrefix: groupId } : undefined;
  const transport = new KafkaTransport({ props, logger, defaultPartitions, storeTopics });
  try {
    await transport.connect();
  } catch (err) {
    throw new ConfigException(
      `Cannot reach the Kafka brokers in bootstrap.servers (${config.getList('bootstrap.servers').join(',')}): ${(err as Error).message}`,
      { key: 'bootstrap.servers', cause: err },
    );
  }
  const store = new KafkaBackedStore({
    props,
    clientId: `tributary-${groupId}`,
    logger,
    topics: [
      {
        namespace: CONFIG_NAMESPACE,
        topic: configTopic,
        partitions: 1,
        replicationFactor: config.getInt('config.storage.replication.factor'),
      },
      {
        namespace: OFFSET_NAMESPACE,
        topic: storeTopics[OFFSET_NAMESPACE],
        partitions: config.getInt('offset.storage.partitions'),
        replicationFactor: config.getInt('offset.storage.replication.factor'),
      },
      {
        namespace: STATUS_NAMESPACE,
        topic: storeTopics[STATUS_NAMESPACE],
        partitions: config.getInt('status.storage.partitions'),
        replicationFactor: config.getInt('status.storage.replication.factor'),
      },
    ],
  });
  let group: WorkerGroup | undefined;
  let processFaults: ProcessFaults | undefined;
  let rest: FastifyInstance | undefined;
  let herder: DistributedHerder | undefined;
  try {
    await store.start();
    const plugins = new PluginRegistry().register(...opts.plugins);
    const loaded = await plugins.loadPluginPath(config.getList('plugin.path'));
    if (loaded.length) logger.info({ packages: loaded }, 'Loaded plugin packages');
    checkWorkerPlugins(config, plugins);
    warnUnusedWorkerKeys(rawProps, [DISTRIBUTED_CONFIG_DEF], logger);
    const metrics = new MetricsRegistry(config.getList('metrics.prometheus.families') as MetricFamily[]);
    const rebalances = new RebalanceStats();
    registerRebalanceMetrics(metrics, rebalances);
    processFaults = installProcessFaultHandlers(logger);
    const faults = processFaults;
    const logLevels = new LogLevels(logger);
    let view: GroupView | null = null;
    let self: WorkerIdentity = { id: '', url: '' };
    let mine = { connectors: new Set<string>(), tasks: new Set<string>() };
    const cluster = {
      runsConnector: (name: string) => mine.connectors.has(name),
      runsTask: (name: string, task: number) => mine.tasks.has(taskKey([name, task])),
      generation: () => view?.generation ?? -1,
      exactlyOnce,
    };
    const isLeader = () => view !== null && view.leaderId === self.id;
    /** The worker a task runs on in the current generation, if any. */
    const workerOfTask = (name: string, task: number): WorkerIdentity | null => {
      if (!view) return null;
      const key = taskKey([name, task]);
      const id = Object.entries(view.assignment.byWorker).find(([, w]) => w.tasks.some((t) => taskKey(t) === key))?.[0];
      return view.members.find((m) => m.id === id) ?? null;
    };
    const { port } = config.listener;
    const advertisedHost = config.getOptionalString('rest.advertised.host.name');
    herder = new DistributedHerder(
      {
        worker: config,
        plugins,
        transport,
        store,
        metrics,
        logger,
        logLevels,
        configProviders,
        workerId: defaultWorkerId(advertisedHost, port),
      },
      cluster,
    );
    for (const w of configProviders.warnings) logger.warn({ provider: w.provider }, w.message);
    const h = herder;

    /**
     * As Kafka Connect: reads are answered from the internal topics by any worker; writes about a
     * connector go to the leader (it serializes them), a task restart to the worker running the task.
     */
    const sessionKey = () => parseSessionKey(store.get(CONFIG_NAMESPACE, SESSION_KEY_RECORD));
    const verificationAlgorithms = config.getList('inter.worker.verification.algorithms');
    const signatureAlgorithm = config.getString('inter.worker.signature.algorithm');
    const bodyText = (req: FastifyRequest) => (req.body === undefined ? '' : JSON.stringify(req.body));
    const forward = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
      if (req.headers[FORWARDED]) {
        // Only a request another worker of the group signed (KIP-507) is handled as forwarded.
        let check = verifyRequest(
          sessionKey(),
          verificationAlgorithms,
          req.headers,
          req.method,
          req.url,
          bodyText(req),
        );
        if (!check.ok && check.status !== 400) {
          await store.readToEnd([configTopic]).catch(() => undefined); // the key may just have rotated
          check = verifyRequest(sessionKey(), verificationAlgorithms, req.headers, req.method, req.url, bodyText(req));
        }
        if (!check.ok) {
          await reply.status(check.status).send({ error_code: check.status, message: check.message });
          return true;
        }
        return false;
      }
      const name = connectorOfRequest(req);
      if (name === null || req.method === 'GET' || req.method === 'HEAD') return false;
      if (view === null) {
        await reply.status(409).send(REBALANCING);
        return true;
      }
      const path = req.url.split('?')[0];
      const taskRestart = req.method === 'POST' ? TASK_RESTART.exec(path) : null;
      let target: WorkerIdentity | null;
      if (taskRestart) {
        target = workerOfTask(decodeURIComponent(taskRestart[1]), Number(taskRestart[2]));
        // An unassigned (or unknown) task: this worker answers 404 or 409 itself.
        if (!target) return false;
      } else {
        if (!view.leaderUrl) {
          await reply.status(409).send(NO_LEADER);
          return true;
        }
        target = { id: view.leaderId ?? '', url: view.leaderUrl };
      }
      if (target.id === self.id) return false;
      const owner = target;
      let key = sessionKey();
      if (!key) {
        await store.readToEnd([configTopic]).catch(() => undefined);
        key = sessionKey();
      }
      if (!key) {
        await reply.status(409).send(REBALANCING);
        return true;
      }
      try {
        const body = bodyText(req);
        const res = await fetch(`${owner.url}${req.url}`, {
          method: req.method,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            [FORWARDED]: self.id,
            // As Kafka Connect's RestClient: the caller's credentials go along with the request.
            ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
            ...signRequest(key, signatureAlgorithm, req.method, req.url, body),
          },
          body: body === '' ? undefined : body,
          // Kafka Connect's REST request timeout; other reads are short so a frozen owner cannot stall them.
          signal: AbortSignal.timeout(req.method === 'GET' ? 10_000 : 90_000),
        });
        const location = res.headers.get('location');
        if (location) void reply.header('location', location);
        const text = await res.text();
        // Read-your-writes through this worker too: catch up with what the target just wrote.
        await store.readToEnd().catch(() => undefined);
        await reply
          .status(res.status)
          .header('content-type', res.headers.get('content-type') ?? 'application/json')
          .send(text === '' ? undefined : text);
        return true;
      } catch (err) {
        // The target is unreachable (it may have died; the group will notice).
        logger.warn(
          { connector: name, owner: owner.id, err: (err as Error).message },
          'Could not forward a request to the owning worker',
        );
        await reply.status(409).send(REBALANCING);
        return true;
      }
    };

    const served = await serveWorkerRest({
      config,
      herder,
      metrics,
      logger,
      logLevels,
      clusterId: await clusterIdOf(props),
      forward,
      health: () =>
        faults.unhandledRejections > 0
          ? `${faults.unhandledRejections} unhandled promise rejection(s) since the worker started (a bug; see the worker log)`
          : null,
      topics: await workerTopicConsole({ transport, embedded: null, config, plugins }),
    });
    rest = served.rest;
    const { listeners, workerId } = served;
    const address = listeners.url;
    const url = listeners.url;
    self = { id: workerId, url: advertisedUrl(config, listeners) };
    registerCoordinatorMetrics(metrics, `tributary-worker-${workerId}`, () => ({
      connectors: mine.connectors.size,
      tasks: mine.tasks.size,
    }));
    for (const line of listeners.banner) if (line.startsWith('WARNING')) logger.warn(line);
    await herder.start();

    let reconcileQueued = false;
    const reconcile = (): Promise<void> =>
      h
        .reconcile()
        .catch((err: Error) => logger.error({ err: err.message }, 'Applying the connector assignment failed'));
    const queueReconcile = () => {
      if (reconcileQueued) return;
      reconcileQueued = true;
      setImmediate(() => {
        reconcileQueued = false;
        void reconcile();
      });
    };
    /** The connectors in the config topic and the tasks of their last committed task configs. */
    const configured = (): WorkAssignment => {
      const connectors = store.entries(CONFIG_NAMESPACE, 'connector-').map((e) => e.key.slice('connector-'.length));
      const tasks = connectors.flatMap((name) => {
        const commit = store.get(CONFIG_NAMESPACE, `commit-${name}`);
        const count = commit === undefined ? 0 : Number((JSON.parse(commit) as { tasks?: number }).tasks ?? 0);
        return Array.from({ length: count }, (_x, i) => [name, i] as [string, number]);
      });
      return { connectors, tasks };
    };
    let checkQueued = false;
    /** The leader starts a rebalance when the config topic holds work the assignment does not cover (or no longer has). */
    const checkAssignment = () => {
      if (checkQueued) return;
      checkQueued = true;
      setImmediate(() => {
        checkQueued = false;
        if (view && isLeader() && isStale(view.assignment, configured()))
          group?.requestRejoin('the connectors or their task counts changed');
      });
    };
    let delayTimer: NodeJS.Timeout | undefined;
    let keyTimer: NodeJS.Timeout | undefined;
    const keyTtlMs = config.getInt('inter.worker.key.ttl.ms');
    const keyAlgorithm = config.getString('inter.worker.key.generation.algorithm');
    /** The leader keeps a live session key in the config topic (KIP-507), rotating it at its expiry. */
    const ensureSessionKey = async (): Promise<void> => {
      clearTimeout(keyTimer);
      if (!isLeader()) return;
      await store.readToEnd([configTopic]);
      const current = sessionKey();
      let expiresAt = current ? current.creationTimestamp + keyTtlMs : 0;
      if (!current || current.algorithm !== keyAlgorithm || expiresAt <= Date.now()) {
        const record = newSessionKeyRecord(keyAlgorithm, config.getInt('inter.worker.key.size'));
        await store.put([{ namespace: CONFIG_NAMESPACE, key: SESSION_KEY_RECORD, value: record }]);
        expiresAt = Date.now() + keyTtlMs;
        logger.info({ algorithm: keyAlgorithm }, 'Wrote a new inter-worker session key');
      }
      keyTimer = setTimeout(
        () =>
          void ensureSessionKey().catch((err: Error) =>
            logger.error({ err: err.message }, 'Rotating the session key failed'),
          ),
        Math.max(1000, expiresAt - Date.now()),
      );
    };
    store.onChange((namespace, key, value) => {
      if (namespace !== CONFIG_NAMESPACE) return;
      if (key.startsWith('restart-connector-') && value !== null) {
        const request = JSON.parse(value) as { 'include-tasks'?: boolean; 'only-failed'?: boolean };
        void h
          .applyRestartRequest(key.slice('restart-connector-'.length), {
            includeTasks: request['include-tasks'] === true,
            onlyFailed: request['only-failed'] === true,
          })
          .catch((err: Error) => logger.error({ err: err.message }, 'Restarting the connector failed'));
        return;
      }
      if (key.startsWith('connector-') || key.startsWith('target-state-') || key.startsWith('commit-')) {
        queueReconcile();
        checkAssignment();
      }
    });
    group = new WorkerGroup({
      props,
      groupId,
      topic: configTopic,
      self,
      logger,
      sessionTimeoutMs: config.getInt('session.timeout.ms'),
      heartbeatIntervalMs: config.getInt('heartbeat.interval.ms'),
      rebalanceTimeoutMs: config.getInt('rebalance.timeout.ms'),
      maxDelayMs: config.getInt('scheduled.rebalance.max.delay.ms'),
      configured: async () => {
        await store.readToEnd([configTopic]);
        return configured();
      },
      onRebalancing: () => rebalances.started(),
      onAssignment: (next) => {
        view = next;
        rebalances.assigned(next.generation, next.leaderId);
        mine = { connectors: new Set(next.mine.connectors), tasks: new Set(next.mine.tasks.map(taskKey)) };
        clearTimeout(delayTimer);
        void ensureSessionKey().catch((err: Error) =>
          logger.error({ err: err.message }, 'Writing the session key failed'),
        );
        const restartAll = next.rejoined ? h.releaseAll() : Promise.resolve();
        if (next.rejoined)
          logger.warn(
            { generation: next.generation },
            'This worker dropped out of the group and rejoined: restarting its work from the stored state',
          );
        void restartAll
          .then(() => store.readToEnd([configTopic]))
          .then(reconcile, (err: Error) => logger.error({ err: err.message }, 'Reading the config topic failed'))
          .then(() => {
            if (view !== next) return;
            // Revoked work is stopped now: rejoin so the leader can hand it to another worker.
            group?.setRunning(next.mine);
            if (next.revoked.connectors.length || next.revoked.tasks.length)
              group?.requestRejoin('work was revoked from this worker');
            if (isLeader()) {
              checkAssignment();
              // Held-back work of a departed worker falls due: rebalance then (scheduled.rebalance.max.delay.ms).
              if (next.delayMs > 0)
                delayTimer = setTimeout(
                  () => group?.requestRejoin('scheduled.rebalance.max.delay.ms passed for a departed worker'),
                  next.delayMs,
                );
            }
          });
      },
    });
    await group.start();
    logger.info({ url: address, workerId, groupId }, 'Tributary distributed worker started');
    let stopped = false;
    const gr = group;
    const r = rest;
    return {
      herder,
      rest,
      store,
      url,
      listeners,
      self,
      view: () => view,
      async stop() {
        if (stopped) return;
        stopped = true;
        clearTimeout(delayTimer);
        clearTimeout(keyTimer);
        await r.close();
        await h.stop();
        await gr.stop();
        await transport.close();
        await store.close();
        faults.uninstall();
      },
    };
  } catch (err) {
    await rest?.close().catch(() => undefined);
    await herder?.stop().catch(() => undefined);
    await group?.stop().catch(() => undefined);
    await transport.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    processFaults?.uninstall();
    throw err;
  }
}
