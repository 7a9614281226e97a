/**
 * What the distributed herder needs to know about the cluster it runs in: the group leader
 * assigns each connector instance and each task to one worker.
 */
export interface ClusterRole {
  /** This worker runs the connector instance, which generates the task configs. */
  runsConnector(connector: string): boolean;
  /** This worker runs the task (its config is read from the config topic). */
  runsTask(connector: string, task: number): boolean;
  generation(): number;
  /** Set when exactly.once.source.support=enabled: source tasks write records and offsets in Kafka transactions. */
  exactlyOnce?: { transactionalIdPrefix: string };
}
