/**
 * Topic names checked when a connector is created or updated, as Kafka's Topic.validate, so a bad
 * name is refused at the door rather than failing the task later: the names a config states
 * (`topic`, `topics`, the dead letter queue, Debezium's schema history topic), the prefixes names
 * are derived from (`topic.prefix`, `topic.heartbeat.prefix`) and routers' targets where they are
 * static (a RegexRouter `replacement` or ByLogicalTableRouter `topic.replacement` without `$` groups).
 */
export const MAX_TOPIC_NAME_LENGTH = 249;
const LEGAL = /^[a-zA-Z0-9._-]+$/;

/** Kafka's Topic.validate message for an illegal name, or null when the name is legal. */
export function topicNameError(name: string): string | null {
  if (name.length === 0) return "Topic name is illegal, it can't be empty";
  if (name === '.' || name === '..') return 'Topic name cannot be "." or ".."';
  if (name.length > MAX_TOPIC_NAME_LENGTH)
    return `Topic name is illegal, it can't be longer than ${MAX_TOPIC_NAME_LENGTH} characters (it has ${name.length}), topic name: ${name}`;
  if (!LEGAL.test(name))
    return `Topic name "${name}" is illegal, it contains a character other than ASCII alphanumerics, '.', '_' and '-'`;
  return null;
}

/** A prefix that topic names are built from (`<prefix>.<db>.<table>`): legal characters, and room left for the rest of the name. */
function prefixError(prefix: string): string | null {
  if (prefix.length === 0) return null;
  if (!LEGAL.test(prefix))
    return `The prefix "${prefix}" makes illegal topic names: Kafka topic names may contain only ASCII alphanumerics, '.', '_' and '-'`;
  if (prefix.length >= MAX_TOPIC_NAME_LENGTH)
    return `The prefix is ${prefix.length} characters long; topic names built from it would exceed Kafka's ${MAX_TOPIC_NAME_LENGTH}-character limit`;
  return null;
}

const SINGLE_TOPIC_KEYS = ['topic', 'errors.deadletterqueue.topic.name', 'schema.history.internal.kafka.topic'];
const PREFIX_KEYS = ['topic.prefix', 'topic.heartbeat.prefix'];
const ROUTERS: Record<string, string> = {
  'org.apache.kafka.connect.transforms.RegexRouter': 'replacement',
  RegexRouter: 'replacement',
  'io.debezium.transforms.ByLogicalTableRouter': 'topic.replacement',
  ByLogicalTableRouter: 'topic.replacement',
};

/** [key, message] for every topic name or prefix of the connector config that Kafka would refuse. */
export function topicNameErrors(
  config: Record<string, string>,
  keysOfConnector: ReadonlySet<string>,
): Array<[string, string]> {
  const errors: Array<[string, string]> = [];
  const check = (key: string, name: string) => {
    const e = topicNameError(name);
    if (e) errors.push([key, `${e} (${key}=${JSON.stringify(config[key])})`]);
  };
  for (const key of SINGLE_TOPIC_KEYS) {
    const v = config[key];
    // `topic` is a topic name only for connectors that define it (FileStreamSource, mainframe); empty values are the connectors' own errors.
    if (v === undefined || v.trim() === '' || (key === 'topic' && !keysOfConnector.has(key))) continue;
    check(key, v.trim());
  }
  if (config.topics !== undefined) {
    for (const t of config.topics
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean))
      check('topics', t);
  }
  for (const key of PREFIX_KEYS) {
    const v = config[key];
    if (v === undefined || !keysOfConnector.has(key)) continue;
    const e = prefixError(v);
    if (e) errors.push([key, `${e} (${key}=${JSON.stringify(v)})`]);
  }
  for (const alias of (config.transforms ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const targetKey = ROUTERS[config[`transforms.${alias}.type`]?.trim() ?? ''];
    if (!targetKey) continue;
    const key = `transforms.${alias}.${targetKey}`;
    const target = config[key];
    // A target with $1-style group references depends on the record's topic: checked when records flow.
    if (target === undefined || target.includes('$')) continue;
    check(key, target);
  }
  return errors;
}
