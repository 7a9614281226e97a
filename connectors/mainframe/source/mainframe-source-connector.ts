/** MainframeFileSourceConnector: validates the copybook and framing up front and splits files over tasks. */
import { ParsedConfig, type ConfigDef, type ConfigValue } from '../../../sdk/config.ts';
import type { SourceConnector, SourceTask } from '../../../sdk/spi.ts';
import { translateCobrixOptions } from '../config.ts';
import { buildSourceReader, MAINFRAME_SOURCE_CONFIG } from './config.ts';
import { MainframeFileSourceTask, VERSION } from './mainframe-source-task.ts';

export class MainframeFileSourceConnector implements SourceConnector {
  readonly type = 'source' as const;
  private props: Record<string, string> = {};

  version(): string {
    return VERSION;
  }
  config(): ConfigDef {
    return MAINFRAME_SOURCE_CONFIG;
  }

  validate(props: Record<string, string>): ConfigValue[] {
    let translated: Record<string, string>;
    try {
      translated = translateCobrixOptions(props);
    } catch (err) {
      return [
        {
          name: 'copybook',
          value: null,
          recommendedValues: [],
          errorMessages: [(err as Error).message],
          visible: true,
        },
      ];
    }
    const values = MAINFRAME_SOURCE_CONFIG.validate(translated);
    if (values.every((v) => v.errorMessages.length === 0)) {
      try {
        buildSourceReader(new ParsedConfig(MAINFRAME_SOURCE_CONFIG, translated));
      } catch (err) {
        const key = (err as { key?: string }).key ?? 'copybook';
        const v = values.find((x) => x.name === key) ?? values[0];
        v.errorMessages.push((err as Error).message);
      }
    }
    return values;
  }

  start(props: Record<string, string>): void {
    const translated = translateCobrixOptions(props);
    buildSourceReader(new ParsedConfig(MAINFRAME_SOURCE_CONFIG, translated));
    this.props = { ...props };
  }

  taskConfigs(maxTasks: number): Array<Record<string, string>> {
    const n = Math.max(1, maxTasks);
    return Array.from({ length: n }, (_, i) => ({ ...this.props, 'task.index': String(i), 'task.count': String(n) }));
  }

  createTask(): SourceTask {
    return new MainframeFileSourceTask();
  }
  stop(): void {}
  exactlyOnceSupport(): 'SUPPORTED' {
    return 'SUPPORTED';
  }
}
