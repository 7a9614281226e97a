/** `format.class` values (Confluent's class names, and their simple names) to the formats. */
import { ConfigException } from '../../../sdk/errors.ts';
import { avroFormat } from './avro-format.ts';
import { byteArrayFormat } from './bytearray-format.ts';
import type { Format } from './format.ts';
import { jsonFormat } from './json-format.ts';
import { parquetFormat } from './parquet-format.ts';

const FORMATS: Format[] = [jsonFormat, avroFormat, parquetFormat, byteArrayFormat];

export function formatFor(className: string): Format {
  const name = className.trim();
  const found = FORMATS.find((f) => f.className === name || f.className.endsWith(`.${name}`));
  if (!found)
    throw new ConfigException(
      `Invalid value ${className} for configuration format.class: use one of ${FORMATS.map((f) => f.className).join(', ')}`,
      { key: 'format.class' },
    );
  return found;
}
