/**
 * connect-distributed's worker keys on top of the common worker keys: the group, the three
 * compacted internal topics and the membership timeouts. Keys Tributary does not implement
 * with a non-default value are refused rather than ignored.
 */
import { ConfigDef, Validators } from '../config/config-def.ts';
import { ConfigException } from '../errors.ts';
import { WORKER_CONFIG_DEF, WorkerConfig } from '../worker/worker-config.ts';
import { HMAC_ALGORITHMS } from './request-signing.ts';

export const DISTRIBUTED_CONFIG_DEF = new ConfigDef()
  .merge(WORKER_CONFIG_DEF)
  .define({
    name: 'group.id',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'A unique string that identifies the Connect cluster group this worker belongs to.',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'config.storage.topic',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The name of the Kafka topic where connector configurations are stored (compacted, 1 partition).',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'config.storage.replication.factor',
    type: 'SHORT',
    defaultValue: 3,
    importance: 'LOW',
    documentation: 'Replication factor used when creating the configuration storage topic; -1 uses the broker default.',
  })
  .define({
    name: 'offset.storage.topic',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The name of the Kafka topic where source connector offsets are stored (compacted).',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'offset.storage.partitions',
    type: 'INT',
    defaultValue: 25,
    importance: 'LOW',
    documentation: 'The number of partitions used when creating the offset storage topic; -1 uses the broker default.',
  })
  .define({
    name: 'offset.storage.replication.factor',
    type: 'SHORT',
    defaultValue: 3,
    importance: 'LOW',
    documentation: 'Replication factor used when creating the offset storage topic; -1 uses the broker default.',
  })
  .define({
    name: 'status.storage.topic',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The name of the Kafka topic where connector and task status are stored (compacted).',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'status.storage.partitions',
    type: 'INT',
    defaultValue: 5,
    importance: 'LOW',
    documentation: 'The number of partitions used when creating the status storage topic; -1 uses the broker default.',
  })
  .define({
    name: 'status.storage.replication.factor',
    type: 'SHORT',
    defaultValue: 3,
    importance: 'LOW',
    documentation: 'Replication factor used when creating the status storage topic; -1 uses the broker default.',
  })
  .define({
    name: 'session.timeout.ms',
    type: 'INT',
    defaultValue: 10000,
    importance: 'HIGH',
    documentation:
      'The timeout used to detect worker failures: a worker that sends no heartbeat within it leaves the group and its connectors move to the others.',
    validator: Validators.atLeast(1000),
  })
  .define({
    name: 'heartbeat.interval.ms',
    type: 'INT',
    defaultValue: 3000,
    importance: 'HIGH',
    documentation: 'The expected time between heartbeats to the group coordinator.',
    validator: Validators.atLeast(100),
  })
  .define({
    name: 'rebalance.timeout.ms',
    type: 'INT',
    defaultValue: 60000,
    importance: 'HIGH',
    documentation: 'The maximum time each worker may take to rejoin the group once a rebalance has begun.',
    validator: Validators.atLeast(1000),
  })
  .define({
    name: 'scheduled.rebalance.max.delay.ms',
    type: 'INT',
    defaultValue: 300000,
    importance: 'LOW',
    documentation:
      'The maximum delay that is scheduled in order to wait for the return of one or more departed workers before rebalancing and reassigning their connectors and tasks to the group. During this period the connectors and tasks of the departed workers remain unassigned; 0 reassigns them at once.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'exactly.once.source.support',
    type: 'STRING',
    defaultValue: 'disabled',
    importance: 'HIGH',
    documentation:
      'enabled: source tasks write each poll() batch and its offsets in one Kafka transaction (transactional id <group.id>-<connector>-<task>), so a restarted or moved task neither loses nor duplicates records for read_committed consumers, and a zombie task is fenced. disabled: at-least-once.',
    validator: Validators.in('disabled', 'enabled'),
  })
  .define({
    name: 'inter.worker.key.generation.algorithm',
    type: 'STRING',
    defaultValue: 'HmacSHA256',
    importance: 'LOW',
    documentation:
      'Algorithm the leader uses to generate the session key that signs requests one worker forwards to another (KIP-507).',
    validator: Validators.in(...Object.keys(HMAC_ALGORITHMS)),
  })
  .define({
    name: 'inter.worker.key.size',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'Session key size in bits; unset: the digest size of the key algorithm.',
  })
  .define({
    name: 'inter.worker.key.ttl.ms',
    type: 'INT',
    defaultValue: 3600000,
    importance: 'LOW',
    documentation: 'How long a session key lives before the leader writes a new one.',
    validator: Validators.between(0, 2147483647),
  })
  .define({
    name: 'inter.worker.signature.algorithm',
    type: 'STRING',
    defaultValue: 'HmacSHA256',
    importance: 'LOW',
    documentation: 'Algorithm that signs forwarded requests.',
    validator: Validators.in(...Object.keys(HMAC_ALGORITHMS)),
  })
  .define({
    name: 'inter.worker.verification.algorithms',
    type: 'LIST',
    defaultValue: 'HmacSHA256',
    importance: 'LOW',
    documentation:
      'Algorithms accepted when verifying forwarded requests; must include inter.worker.signature.algorithm.',
  })
  .define({
    name: 'connect.protocol',
    type: 'STRING',
    defaultValue: 'sessioned',
    importance: 'LOW',
    documentation:
      'Accepted for compatibility; Tributary workers use their own group protocol (tributary-v1), so they cannot join a Kafka Connect group.',
    validator: Validators.in('eager', 'compatible', 'sessioned'),
  });

export class DistributedConfig extends WorkerConfig {
  constructor(props: Record<string, string>) {
    super(props, DISTRIBUTED_CONFIG_DEF);
    if (this.getList('bootstrap.servers').length === 0) {
      throw new ConfigException(
        'Distributed mode runs on Kafka: set bootstrap.servers to the brokers (or run `tributary standalone` for the embedded log)',
        { key: 'bootstrap.servers' },
      );
    }
    const verification = this.getList('inter.worker.verification.algorithms');
    const unknown = verification.find((v) => !HMAC_ALGORITHMS[v]);
    if (unknown)
      throw new ConfigException(
        `inter.worker.verification.algorithms: ${unknown} is not supported; use ${Object.keys(HMAC_ALGORITHMS).join(', ')}`,
        { key: 'inter.worker.verification.algorithms' },
      );
    if (!verification.includes(this.getString('inter.worker.signature.algorithm'))) {
      throw new ConfigException(
        `inter.worker.verification.algorithms (${verification.join(',')}) must include inter.worker.signature.algorithm (${this.getString('inter.worker.signature.algorithm')})`,
        { key: 'inter.worker.verification.algorithms' },
      );
    }
    const topics = ['config.storage.topic', 'offset.storage.topic', 'status.storage.topic'].map(
      (k) => [k, this.getString(k)] as const,
    );
    for (const [k, t] of topics) {
      const clash = topics.find(([k2, t2]) => k2 !== k && t2 === t);
      if (clash)
        throw new ConfigException(`${k} and ${clash[0]} are both ${t}: the three internal topics must differ`, {
          key: k,
        });
    }
  }
}
