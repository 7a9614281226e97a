/**
 * The part Debezium's database connectors share: the config is checked at start and one task runs
 * with it (one replication slot or binlog reader per connector), without exactly-once support.
 */
export abstract class SingleTaskSourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};

  /** Parses the settings, throwing a ConfigException naming the key when they are wrong. */
  protected abstract checkSettings(props: Record<string, string>): void;

  start(props: Record<string, string>): void {
    this.checkSettings(props);
    this.props = { ...props };
  }

  taskConfigs(_maxTasks: number): Array<Record<string, string>> {
    return [{ ...this.props }];
  }

  stop(): void {}

  exactlyOnceSupport(): 'SUPPORTED' | 'UNSUPPORTED' {
    return 'UNSUPPORTED';
  }
}
