/**
 * An Apache Kafka cluster of a test's own (3 nodes unless told): KRaft combined mode (each node a
 * broker and a controller, every node a voter) on free ports in a temporary directory, run from the jars the test
 * setup cached for the shared broker. The test can kill a node (SIGKILL or a clean stop) and start
 * it again without disturbing the shared broker other tests use.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DOWNLOAD_CACHE } from '../setup/paths.ts';
import { KAFKA_VERSION } from '../setup/kafka.ts';
import { waitFor } from './wait.ts';
import type { TestCerts } from './test-certs.ts';
import { TcpProxy } from './tcp-proxy.ts';
import { freePort } from './free-port.ts';

/** TLS listeners besides PLAINTEXT: SSL (client certificates required) and SASL_SSL (PLAIN and SCRAM users). */
export interface KafkaTlsOptions {
  certs: TestCerts;
  /** SASL users (user → password), known to PLAIN and, as SCRAM-SHA-256/512 credentials, to SCRAM. */
  users: Record<string, string>;
}

/** The classpath test/setup/kafka.ts resolved into its cache (the global setup provisions it). */
function kafkaClasspath(): string {
  const libs = path.join(DOWNLOAD_CACHE, `kafka-${KAFKA_VERSION}`, 'libs');
  if (!fs.existsSync(path.join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`)))
    throw new Error(`Kafka jars not found in ${libs}: run the suite through npm test (the setup downloads them)`);
  return `${libs}/*`;
}

interface KafkaNode {
  id: number;
  brokerPort: number;
  sslPort: number;
  saslSslPort: number;
  controllerPort: number;
  dir: string;
  process: ChildProcess | null;
  /** With `proxied`: the TCP proxy clients reach the node through (its advertised PLAINTEXT address). */
  proxy: TcpProxy | null;
}

export class PrivateKafkaCluster {
  private constructor(
    readonly dir: string,
    private readonly nodes: KafkaNode[],
    private readonly tls: boolean,
  ) {}

  /** bootstrap.servers of the SSL listener (client certificate required); start with `tls`. */
  get sslBrokers(): string[] {
    if (!this.tls) throw new Error('the cluster was started without tls');
    return this.nodes.map((n) => `localhost:${n.sslPort}`);
  }

  /** bootstrap.servers of the SASL_SSL listener; start with `tls`. */
  get saslSslBrokers(): string[] {
    if (!this.tls) throw new Error('the cluster was started without tls');
    return this.nodes.map((n) => `localhost:${n.saslSslPort}`);
  }

  /** bootstrap.servers for clients: every node. */
  get brokers(): string[] {
    return this.nodes.map((n) => `127.0.0.1:${n.proxy ? n.proxy.port : n.brokerPort}`);
  }

  /** Broker (node) id → node index, to find the node of a partition leader named in metadata. */
  nodeIndexOf(brokerId: number): number {
    const i = this.nodes.findIndex((n) => n.id === brokerId);
    if (i < 0) throw new Error(`No node with broker id ${brokerId}`);
    return i;
  }

  /** Cuts every client connection to every node (through `proxied` clusters' proxies) and refuses new ones until restoreNetwork(). */
  cutNetwork(): void {
    for (const n of this.nodes) {
      if (!n.proxy) throw new Error('the cluster was started without proxied');
      n.proxy.outage();
    }
  }

  restoreNetwork(): void {
    for (const n of this.nodes) n.proxy?.restore();
  }

  /**
   * `nodes`: how many (default 3; replication factors follow); `tls`: SSL and SASL_SSL listeners
   * too; `proxied`: each node advertises a TCP proxy in front of its PLAINTEXT listener, so
   * cutNetwork() cuts clients off (use with one node: the nodes reach each other through it too).
   */
  static async start(
    opts: { nodes?: number; tls?: KafkaTlsOptions; proxied?: boolean } = {},
  ): Promise<PrivateKafkaCluster> {
    const count = opts.nodes ?? 3;
    const rf = Math.min(3, count);
    const minIsr = count >= 3 ? 2 : 1;
    const tls = opts.tls;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-private-kafka-'));
    const nodes: KafkaNode[] = [];
    for (let i = 0; i < count; i++) {
      const brokerPort = await freePort();
      const proxy = opts.proxied ? await new TcpProxy('127.0.0.1', brokerPort).start() : null;
      nodes.push({
        id: i + 1,
        brokerPort,
        sslPort: tls ? await freePort() : 0,
        saslSslPort: tls ? await freePort() : 0,
        controllerPort: await freePort(),
        dir: path.join(dir, `node-${i + 1}`),
        process: null,
        proxy,
      });
    }
    const tlsLines = (): string[] =>
      tls
        ? [
            `ssl.keystore.location=${tls.certs.serverP12}`,
            'ssl.keystore.type=PKCS12',
            `ssl.keystore.password=${tls.certs.storePassword}`,
            `ssl.key.password=${tls.certs.storePassword}`,
            `ssl.truststore.location=${tls.certs.caCert}`,
            'ssl.truststore.type=PEM',
            'listener.name.ssl.ssl.client.auth=required',
            'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
            `listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${Object.entries(
              tls.users,
            )
              .map(([u, p]) => `user_${u}="${p}"`)
              .join(' ')};`,
            'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
            'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
          ]
        : [];
    const listeners = (n: KafkaNode, host: string, advertised = false): string =>
      [
        `PLAINTEXT://127.0.0.1:${advertised && n.proxy ? n.proxy.port : n.brokerPort}`,
        ...(tls ? [`SSL://${host}:${n.sslPort}`, `SASL_SSL://${host}:${n.saslSslPort}`] : []),
      ].join(',');
    const voters = nodes.map((n) => `${n.id}@127.0.0.1:${n.controllerPort}`).join(',');
    const clusterId = randomUUID().replace(/-/g, '').slice(0, 22);
    fs.writeFileSync(
      path.join(dir, 'log4j.properties'),
      'log4j.rootLogger=WARN, stdout\nlog4j.appender.stdout=org.apache.log4j.ConsoleAppender\nlog4j.appender.stdout.layout=org.apache.log4j.PatternLayout\nlog4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n\n',
    );
    for (const n of nodes) {
      fs.mkdirSync(n.dir, { recursive: true });
      fs.writeFileSync(
        path.join(n.dir, 'server.properties'),
        [
          'process.roles=broker,controller',
          `node.id=${n.id}`,
          `controller.quorum.voters=${voters}`,
          `listeners=${listeners(n, '127.0.0.1')},CONTROLLER://127.0.0.1:${n.controllerPort}`,
          `advertised.listeners=${listeners(n, 'localhost', true)}`,
          'controller.listener.names=CONTROLLER',
          'inter.broker.listener.name=PLAINTEXT',
          'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL',
          `log.dirs=${path.join(n.dir, 'data')}`,
          'num.partitions=1',
          `default.replication.factor=${rf}`,
          `min.insync.replicas=${minIsr}`,
          'auto.create.topics.enable=true',
          'unclean.leader.election.enable=false',
          `offsets.topic.replication.factor=${rf}`,
          'offsets.topic.num.partitions=5',
          `transaction.state.log.replication.factor=${rf}`,
          `transaction.state.log.min.isr=${minIsr}`,
          'transaction.state.log.num.partitions=5',
          ...tlsLines(),
          'group.initial.rebalance.delay.ms=0',
          // A killed node is fenced (and dropped from every ISR) after a few seconds rather than 9 s;
          // a 2-core machine runs three of them, so keep their thread pools small.
          'broker.heartbeat.interval.ms=1000',
          'broker.session.timeout.ms=6000',
          'replica.lag.time.max.ms=10000',
          'num.network.threads=2',
          'num.io.threads=2',
          'background.threads=2',
          'num.recovery.threads.per.data.dir=1',
          'log.cleaner.threads=1',
          '',
        ].join('\n'),
      );
      const scram = tls
        ? Object.entries(tls.users).flatMap(([u, p]) =>
            ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((m) => ['--add-scram', `${m}=[name=${u},password=${p}]`]),
          )
        : [];
      execFileSync(
        'java',
        [
          ...PrivateKafkaCluster.jvmArgs(dir),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          path.join(n.dir, 'server.properties'),
          ...scram,
        ],
        { stdio: 'pipe' },
      );
    }
    const cluster = new PrivateKafkaCluster(dir, nodes, tls !== undefined);
    try {
      for (let i = 0; i < count; i++) cluster.spawn(i);
      await cluster.waitReady();
    } catch (err) {
      await cluster.close();
      throw err;
    }
    return cluster;
  }

  private static jvmArgs(dir: string): string[] {
    return ['-cp', kafkaClasspath(), `-Dlog4j.configuration=file:${path.join(dir, 'log4j.properties')}`];
  }

  private spawn(i: number): void {
    const n = this.nodes[i];
    if (n.process) throw new Error(`Kafka node ${n.id} is already running`);
    const out = fs.openSync(path.join(n.dir, 'server.log'), 'a');
    const child = spawn(
      'java',
      [
        '-Xms128m',
        '-Xmx256m',
        '-XX:+UseSerialGC',
        ...PrivateKafkaCluster.jvmArgs(this.dir),
        'kafka.Kafka',
        path.join(n.dir, 'server.properties'),
      ],
      { stdio: ['ignore', out, out] },
    );
    fs.closeSync(out);
    child.once('exit', () => {
      if (n.process === child) n.process = null;
    });
    n.process = child;
    // A test process killed without running its afterAll must not leave brokers behind: this
    // watchdog kills the broker once the test process is gone (and ends with the broker).
    spawn(
      'sh',
      [
        '-c',
        `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 2; done; kill -9 ${child.pid} 2>/dev/null`,
      ],
      { detached: true, stdio: 'ignore' },
    ).unref();
  }

  /** Every node registered and unfenced (the cluster's metadata lists all of them). */
  async waitReady(timeoutMs = 120_000): Promise<void> {
    await waitFor(
      async () => {
        const admin = new Kafka({
          brokers: this.brokers,
          logLevel: logLevel.NOTHING,
          retry: { retries: 0 },
          connectionTimeout: 2000,
        }).admin();
        try {
          await admin.connect();
          return (await admin.describeCluster()).brokers.length === this.nodes.length;
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      },
      { timeoutMs, intervalMs: 500, what: `all ${this.nodes.length} Kafka nodes up (logs in ${this.dir})` },
    );
  }

  /** Stops node `i` (0-based): `kill` is SIGKILL (a crash), `clean` a controlled shutdown. */
  async stop(i: number, mode: 'kill' | 'clean' = 'kill'): Promise<void> {
    const child = this.nodes[i].process;
    if (!child) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(mode === 'kill' ? 'SIGKILL' : 'SIGTERM');
    });
  }

  /** Starts node `i` again on its ports and data directory; resolves once it serves requests. */
  async start(i: number): Promise<void> {
    this.spawn(i);
    const port = this.nodes[i].brokerPort;
    await waitFor(
      async () => {
        const admin = new Kafka({
          brokers: [`127.0.0.1:${port}`],
          logLevel: logLevel.NOTHING,
          retry: { retries: 0 },
          connectionTimeout: 2000,
        }).admin();
        try {
          await admin.connect();
          return (await admin.describeCluster()).brokers.some((b) => b.port === (this.nodes[i].proxy?.port ?? port));
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      },
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        what: `Kafka node ${this.nodes[i].id} back (log ${path.join(this.nodes[i].dir, 'server.log')})`,
      },
    );
  }

  running(i: number): boolean {
    return this.nodes[i].process !== null;
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((_n, i) => this.stop(i, 'kill')));
    await Promise.all(this.nodes.map((n) => n.proxy?.stop()));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
