/**
 * Cluster membership and assignment through Kafka's group coordinator: every worker joins the
 * consumer group `group.id` with protocol `tributary-v1`. The coordinator decides who is in the
 * group, evicts a worker whose heartbeats stop after `session.timeout.ms`, and elects a leader;
 * the leader's assigner computes which worker runs which connector and task (assignor.ts) and
 * the coordinator hands each member its part. After each join every worker reads all members'
 * assignments (DescribeGroups), so each knows where everything runs.
 */
import { logLevel, type Admin, type Consumer, type PartitionAssigner } from 'kafkajs';
import { MeteredKafka } from '../metrics/kafka-client-metrics.ts';
import type { Logger } from '../logging.ts';
import { kafkaClientConfig } from '../transport/kafka-client-config.ts';
import { sleep } from '../util/sleep.ts';
import { assign, describeWork, emptyWork, type ClusterAssignment, type WorkAssignment } from './assignor.ts';
import {
  GROUP_PROTOCOL,
  decodeAssignment,
  decodeMetadata,
  encodeAssignment,
  encodeMetadata,
  type WorkerIdentity,
} from './group-protocol.ts';

export { GROUP_PROTOCOL, type WorkerIdentity } from './group-protocol.ts';

export interface GroupView {
  /** The assignment's epoch: the same on every worker for one generation. */
  generation: number;
  leaderId: string | null;
  leaderUrl: string | null;
  members: WorkerIdentity[];
  /** Where everything runs, and what is held back for departed workers. */
  assignment: ClusterAssignment;
  /** This worker's part. */
  mine: WorkAssignment;
  /** What this worker must stop; it then asks for a rebalance so the work can move. */
  revoked: WorkAssignment;
  /** ms until held-back work of a departed worker falls due (0: none held back). */
  delayMs: number;
  /**
   * This worker was out of the group since the previous view (evicted after missing heartbeats,
   * e.g. a long pause) and rejoined as a new member: others may have run its work meanwhile.
   */
  rejoined: boolean;
}

export interface WorkerGroupOptions {
  props: Record<string, string>;
  groupId: string;
  /** The config topic: the group's members are "assigned" its single partition. */
  topic: string;
  self: WorkerIdentity;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  /** scheduled.rebalance.max.delay.ms */
  maxDelayMs: number;
  logger: Logger;
  /** The leader's view of the configured work (read to the end of the config topic). */
  configured(): Promise<WorkAssignment>;
  /** Called when a rebalance starts: the assignment is about to change. */
  onRebalancing(): void;
  /** Called with the assignment of each new generation. */
  onAssignment(view: GroupView): void;
}

class RejoinRequested extends Error {
  // kafkajs's runner rejoins the group (same member id) on an error of this type.
  readonly type = 'REBALANCE_IN_PROGRESS';
}

export class WorkerGroup {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private joins = 0;
  private memberId: string | null = null;
  private rejoinedSinceView = false;
  private stopped = false;
  private nonce = 0;
  private rejoinWanted = false;
  private rejoinLoop: Promise<void> | null = null;
  /** What this worker runs (its part of the last assignment), reported at every join. */
  private running: WorkAssignment = emptyWork();
  /** The newest cluster assignment this worker knows: the leader's memory. */
  private known: ClusterAssignment | null = null;

  constructor(private readonly opts: WorkerGroupOptions) {
    const kafka = new MeteredKafka(
      {
        ...kafkaClientConfig(opts.props, `tributary-worker-${opts.self.id}`),
        logLevel: logLevel.NOTHING,
        retry: { retries: 8 },
      },
      'connect',
    );
    this.admin = kafka.admin();
    this.consumer = kafka.consumer({
      groupId: opts.groupId,
      partitionAssigners: [this.assigner()],
      sessionTimeout: opts.sessionTimeoutMs,
      heartbeatInterval: opts.heartbeatIntervalMs,
      rebalanceTimeout: opts.rebalanceTimeoutMs,
      maxWaitTimeInMs: Math.min(1000, opts.heartbeatIntervalMs),
      allowAutoTopicCreation: false,
    });
  }

  private assigner(): PartitionAssigner {
    return () => ({
      name: GROUP_PROTOCOL,
      version: 1,
      protocol: ({ topics }) => ({
        name: GROUP_PROTOCOL,
        metadata: encodeMetadata(
          { ...this.opts.self, running: this.running, known: this.known, nonce: this.nonce },
          topics,
        ),
      }),
      assign: async ({ members }) => this.leaderAssign(members),
    });
  }

  /** Runs on the elected leader only: every member's metadata in, every member's assignment out. */
  private async leaderAssign(
    members: Array<{ memberId: string; memberMetadata: Buffer }>,
  ): Promise<Array<{ memberId: string; memberAssignment: Buffer }>> {
    const decoded = members.map((m) => ({ memberId: m.memberId, meta: decodeMetadata(m.memberMetadata) }));
    // One member per worker id (a restarted worker may briefly appear twice); the newest report wins.
    const byWorker = new Map<string, { memberId: string; running: WorkAssignment }>();
    let previous = this.known;
    for (const { memberId, meta } of decoded) {
      if (!meta) continue;
      byWorker.set(meta.id, { memberId, running: meta.running });
      if (meta.known && (!previous || meta.known.epoch > previous.epoch)) previous = meta.known;
    }
    const configured = await this.opts.configured();
    const { assignment, delayMs } = assign({
      members: [...byWorker].map(([worker, m]) => ({ worker, running: m.running })),
      previous,
      configured,
      now: Date.now(),
      maxDelayMs: this.opts.maxDelayMs,
    });
    this.opts.logger.info(
      {
        epoch: assignment.epoch,
        workers: Object.fromEntries(Object.entries(assignment.byWorker).map(([w, a]) => [w, describeWork(a)])),
        revoked: assignment.revoked,
        heldBack: assignment.lost.map((l) => l.worker),
        delayMs,
      },
      'Computed the worker group assignment',
    );
    const memberOf = new Map([...byWorker].map(([worker, m]) => [m.memberId, worker]));
    return members.map((m) => {
      const worker = memberOf.get(m.memberId);
      const work = worker ? assignment.byWorker[worker] : emptyWork();
      return {
        memberId: m.memberId,
        memberAssignment: encodeAssignment(
          {
            epoch: assignment.epoch,
            leader: this.opts.self.id,
            leaderUrl: this.opts.self.url,
            worker: worker ?? '',
            work,
            revoked: (worker && assignment.revoked[worker]) || emptyWork(),
            lost: assignment.lost,
            delayMs,
          },
          this.opts.topic,
        ),
      };
    });
  }

  async start(): Promise<void> {
    await this.admin.connect();
    this.consumer.on(this.consumer.events.REBALANCING, () => {
      this.opts.logger.info('Rebalance started');
      this.opts.onRebalancing();
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => {
      const { memberId } = e.payload as { memberId: string };
      if (this.memberId !== null && memberId !== this.memberId) {
        // Evicted and back as a new member: whatever this worker ran may run elsewhere now.
        this.rejoinedSinceView = true;
        this.running = emptyWork();
      }
      this.memberId = memberId;
      this.rejoinWanted = false;
      const join = ++this.joins;
      void this.describe(join, memberId);
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      this.opts.logger.warn(
        { err: (e.payload as { error?: Error }).error?.message },
        'Worker group membership failed; rejoining',
      );
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.opts.topic, fromBeginning: false });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async () => {
        if (!this.rejoinWanted) return;
        this.rejoinWanted = false;
        this.nonce++;
        throw new RejoinRequested('This worker asked to rejoin the group');
      },
    });
  }

  /** What this worker runs now (reported at the next join): its assignment once revoked work has stopped. */
  setRunning(work: WorkAssignment): void {
    this.running = work;
  }

  /**
   * Starts a rebalance (Kafka Connect's requestRejoin): the next record this member reads from the
   * config topic makes its consumer rejoin with the same member id. The last record is read again
   * on purpose; the request stands until some rebalance has completed.
   */
  requestRejoin(reason: string): void {
    if (this.stopped) return;
    this.opts.logger.info({ reason }, 'Requesting a worker group rebalance');
    this.rejoinWanted = true;
    this.rejoinLoop ??= (async () => {
      try {
        for (let attempt = 0; this.rejoinWanted && !this.stopped; attempt++) {
          try {
            const [p] = await this.admin.fetchTopicOffsets(this.opts.topic);
            const high = Number(p?.high ?? 0);
            if (high > 0) this.consumer.seek({ topic: this.opts.topic, partition: 0, offset: String(high - 1) });
          } catch (err) {
            if (attempt % 10 === 9)
              this.opts.logger.warn({ err: (err as Error).message }, 'Cannot request a rebalance yet');
          }
          await sleep(Math.min(3000, 500 * (attempt + 1)));
        }
      } finally {
        this.rejoinLoop = null;
      }
    })();
  }

  /** Reads every member's assignment of the generation just joined; retries while the group is still settling. */
  private async describe(join: number, memberId: string): Promise<void> {
    for (let attempt = 0; !this.stopped && join === this.joins; attempt++) {
      try {
        const { groups } = await this.admin.describeGroups([this.opts.groupId]);
        const g = groups[0];
        const view = g && g.state === 'Stable' ? this.viewOf(g.members, memberId) : null;
        if (view) {
          if (join !== this.joins || this.stopped) return;
          this.known = view.assignment;
          // Revoked work may still be stopping: it is reported until the worker says it stopped.
          this.running = {
            connectors: [...view.mine.connectors, ...view.revoked.connectors],
            tasks: [...view.mine.tasks, ...view.revoked.tasks],
          };
          const mine = describeWork(view.mine);
          // Kafka Connect's DistributedHerder wording (its Assignment's toString, shortened to what this worker has).
          this.opts.logger.info(
            { generation: view.generation, members: view.members.map((m) => m.id), leader: view.leaderId, mine },
            `Joined group at generation ${view.generation} and got assignment: Assignment{leader='${view.leaderId}', connectorIds=[${mine.connectors.join(', ')}], taskIds=[${mine.tasks.join(', ')}]}`,
          );
          this.opts.onAssignment(view);
          return;
        }
      } catch (err) {
        if (attempt % 10 === 9)
          this.opts.logger.warn({ err: (err as Error).message }, 'Cannot describe the worker group yet');
      }
      await sleep(Math.min(1000, 100 * (attempt + 1)));
    }
  }

  private viewOf(
    members: Array<{ memberId: string; memberMetadata: Buffer; memberAssignment: Buffer }>,
    memberId: string,
  ): GroupView | null {
    const identities: WorkerIdentity[] = [];
    const assignment: ClusterAssignment = { epoch: -1, byWorker: {}, revoked: {}, lost: [] };
    let own: ReturnType<typeof decodeAssignment> = null;
    for (const m of members) {
      const meta = decodeMetadata(m.memberMetadata);
      const a = decodeAssignment(m.memberAssignment);
      if (!meta || !a) return null; // not synced yet
      if (assignment.epoch !== -1 && a.epoch !== assignment.epoch) return null;
      assignment.epoch = a.epoch;
      assignment.lost = a.lost;
      identities.push({ id: meta.id, url: meta.url });
      if (a.worker) {
        assignment.byWorker[a.worker] = a.work;
        if (a.revoked.connectors.length || a.revoked.tasks.length) assignment.revoked[a.worker] = a.revoked;
      }
      if (m.memberId === memberId) own = a;
    }
    if (!own) return null;
    identities.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rejoined = this.rejoinedSinceView;
    this.rejoinedSinceView = false;
    return {
      generation: own.epoch,
      leaderId: own.leader || null,
      leaderUrl: own.leaderUrl || null,
      members: identities,
      assignment,
      mine: own.work,
      revoked: own.revoked,
      delayMs: own.delayMs,
      rejoined,
    };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // disconnect() sends LeaveGroup, so the others rebalance at once instead of after the session timeout.
    await this.consumer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
