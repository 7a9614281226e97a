/**
 * Base classes for connectors whose job is the common one: validate the configuration, hand it to
 * one task (or to several, by overriding `taskConfigs`), and stop. Subclasses provide `version()`,
 * `config()` and `createTask()`.
 */
import { ParsedConfig, type ConfigDef } from '../runtime/config/config-def.ts';
import type { ConnectorContext, MaybePromise } from '../runtime/spi/connector.ts';
import type { SinkTask } from '../runtime/spi/sink.ts';
import type { SourceTask } from '../runtime/spi/source.ts';

abstract class ConnectorBase {
  protected context: ConnectorContext | undefined;
  /** The connector's configuration, as given to start(). */
  protected props: Record<string, string> = {};
  /** The configuration parsed against config() (defaults applied), set by start(). */
  protected parsed: ParsedConfig | undefined;

  abstract version(): string;
  abstract config(): ConfigDef;

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  /** Parses the configuration (a ConfigException fails the connector with the key named) and calls onStart(). */
  async start(props: Record<string, string>): Promise<void> {
    this.props = { ...props };
    this.parsed = new ParsedConfig(this.config(), props);
    await this.onStart();
  }

  /** Called after the configuration was parsed. */
  protected onStart(): MaybePromise<void> {}

  /** One task with the connector's configuration; override to split the work over up to `maxTasks` tasks. */
  taskConfigs(_maxTasks: number): MaybePromise<Array<Record<string, string>>> {
    return [{ ...this.props }];
  }

  stop(): MaybePromise<void> {}
}

/** A source connector whose tasks get its configuration (one task unless taskConfigs is overridden). */
export abstract class SourceConnectorBase extends ConnectorBase {
  readonly type = 'source' as const;
  abstract createTask(): SourceTask;
}

/** A sink connector whose tasks get its configuration (one task unless taskConfigs is overridden). */
export abstract class SinkConnectorBase extends ConnectorBase {
  readonly type = 'sink' as const;
  abstract createTask(): SinkTask;
}
