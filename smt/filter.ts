/**
 * Filter (org.apache.kafka.connect.transforms.Filter): drops every record it is applied to. Used
 * with a predicate (`transforms.x.predicate`, optionally `negate`) to drop the records that match.
 */
import { ConfigDef } from '../sdk/config.ts';
import type { Transformation } from '../sdk/spi.ts';

export const FILTER_CONFIG = new ConfigDef();

export class Filter implements Transformation {
  config(): ConfigDef {
    return FILTER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }
  configure(): void {}
  apply(): null {
    return null;
  }
}
