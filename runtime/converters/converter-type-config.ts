/**
 * The `converter.type` key every converter's ConfigDef carries (Kafka's ConverterConfig): the worker
 * sets it to key, value or header when it configures the converter.
 */
import type { ConfigKeyInit } from '../config/config-def.ts';

export const CONVERTER_TYPE_KEY: ConfigKeyInit = {
  name: 'converter.type',
  type: 'STRING',
  defaultValue: 'value',
  importance: 'LOW',
  documentation: 'How this converter will be used.',
};
