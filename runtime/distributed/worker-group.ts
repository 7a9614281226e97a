/**
 * Cluster membership through Kafka's group coordinator: every worker joins the consumer group
 * `group.id` (subscribed to the config topic) with its id and REST URL in the member metadata.
 * The coordinator decides who is in the group, evicts a worker whose heartbeats stop after
 * `session.timeout.ms`, and numbers generations; no consensus of our own. After each join the
 * worker reads the member list (DescribeGroups) and every worker derives the same connector
 * ownership from it (see ownership.ts).
 */
import { AssignerProtocol, Kafka, logLevel, type Admin, type Consumer, type PartitionAssigner } from 'kafkajs';
import type { Logger } from '../logging.ts';
import { kafkaClientConfig } from '../transport/kafka-client-config.ts';
import { sleep } from '../util/sleep.ts';

export const GROUP_PROTOCOL = 'tributary-v1';

export interface WorkerIdentity {
  /** `host:port`, as in status `worker_id`. */
  id: string;
  /** Base URL of the worker's REST API, for forwarding. */
  url: string;
}

export interface GroupView {
  generation: number;
  leaderId: string | null;
  members: WorkerIdentity[];
  /**
   * This worker was out of the group since the previous view (evicted after missing heartbeats,
   * e.g. a long pause) and rejoined as a new member: others may have run its connectors meanwhile.
   */
  rejoined: boolean;
}

export interface WorkerGroupOptions {
  props: Record<string, string>;
  groupId: string;
  topic: string;
  self: WorkerIdentity;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  logger: Logger;
  /** Called when a rebalance starts: the member list is about to change. */
  onRebalancing(): void;
  /** Called with the member list of each new generation. */
  onAssignment(view: GroupView): void;
}

/** The assigner hands out no partitions: membership and generations are all the group is used for. */
function membershipAssigner(self: WorkerIdentity): PartitionAssigner {
  return () => ({
    name: GROUP_PROTOCOL,
    version: 1,
    protocol: ({ topics }) => ({ name: GROUP_PROTOCOL, metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.from(JSON.stringify(self)) }) }),
    assign: async ({ members }) => members.map((m) => ({ memberId: m.memberId, memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 1, assignment: {}, userData: Buffer.alloc(0) }) })),
  });
}

export function decodeMember(metadata: Buffer): WorkerIdentity | null {
  try {
    const decoded = AssignerProtocol.MemberMetadata.decode(metadata);
    const parsed = JSON.parse(decoded?.userData?.toString('utf8') ?? '') as Partial<WorkerIdentity>;
    return typeof parsed.id === 'string' && typeof parsed.url === 'string' ? { id: parsed.id, url: parsed.url } : null;
  } catch {
    return null;
  }
}

export class WorkerGroup {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private generation = 0;
  private memberId: string | null = null;
  private rejoinedSinceView = false;
  private stopped = false;

  constructor(private readonly opts: WorkerGroupOptions) {
    const kafka = new Kafka({ ...kafkaClientConfig(opts.props, `tributary-worker-${opts.self.id}`), logLevel: logLevel.NOTHING, retry: { retries: 8 } });
    this.admin = kafka.admin();
    this.consumer = kafka.consumer({
      groupId: opts.groupId,
      partitionAssigners: [membershipAssigner(opts.self)],
      sessionTimeout: opts.sessionTimeoutMs,
      heartbeatInterval: opts.heartbeatIntervalMs,
      rebalanceTimeout: opts.rebalanceTimeoutMs,
      maxWaitTimeInMs: Math.min(1000, opts.heartbeatIntervalMs),
      allowAutoTopicCreation: false,
    });
  }

  async start(): Promise<void> {
    await this.admin.connect();
    this.consumer.on(this.consumer.events.REBALANCING, () => this.opts.onRebalancing());
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => {
      const { leaderId, memberId } = e.payload as { leaderId: string; memberId: string };
      if (this.memberId !== null && memberId !== this.memberId) this.rejoinedSinceView = true;
      this.memberId = memberId;
      const generation = ++this.generation;
      void this.describe(generation, leaderId);
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.opts.logger.warn({ err: (e.payload as { error?: Error }).error?.message }, 'Worker group membership failed; rejoining');
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.opts.topic, fromBeginning: false });
    await this.consumer.run({ autoCommit: false, eachMessage: async () => undefined });
  }

  /** Reads the members of the generation just joined; retries while the group is still settling. */
  private async describe(generation: number, leaderMemberId: string): Promise<void> {
    for (let attempt = 0; !this.stopped && generation === this.generation; attempt++) {
      try {
        const { groups } = await this.admin.describeGroups([this.opts.groupId]);
        const g = groups[0];
        if (g && g.state === 'Stable') {
          const members: WorkerIdentity[] = [];
          let leaderId: string | null = null;
          for (const m of g.members) {
            const w = decodeMember(m.memberMetadata);
            if (!w) continue;
            members.push(w);
            if (m.memberId === leaderMemberId) leaderId = w.id;
          }
          members.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
          if (members.some((m) => m.id === this.opts.self.id)) {
            this.opts.logger.info({ generation, members: members.map((m) => m.id), leader: leaderId }, 'Joined the worker group');
            const rejoined = this.rejoinedSinceView;
            this.rejoinedSinceView = false;
            this.opts.onAssignment({ generation, leaderId, members, rejoined });
            return;
          }
        }
      } catch (err) {
        if (attempt % 10 === 9) this.opts.logger.warn({ err: (err as Error).message }, 'Cannot describe the worker group yet');
      }
      await sleep(Math.min(1000, 100 * (attempt + 1)));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // disconnect() sends LeaveGroup, so the others rebalance at once instead of after the session timeout.
    await this.consumer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
