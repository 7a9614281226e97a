/**
 * The registry converters' writers, per Connect schema and topic: built once (a registry round
 * trip), concurrent requests for the same pair share one build, a failed build is not cached, and
 * at most `limit` topics are cached per schema (`schemas.cache.size`; 0 or less = unbounded).
 */
import type { Schema } from '../data/schema.ts';

export class WriterCache<W> {
  private readonly ready = new WeakMap<Schema, Map<string, W>>();
  private readonly pending = new WeakMap<Schema, Map<string, Promise<W>>>();
  limit = 1000;

  constructor(private readonly build: (topic: string, schema: Schema) => Promise<W>) {}

  /** The writer if it is already built (the synchronous fast path). */
  get(schema: Schema, topic: string): W | undefined {
    return this.ready.get(schema)?.get(topic);
  }

  obtain(schema: Schema, topic: string): Promise<W> {
    let pending = this.pending.get(schema);
    if (!pending) this.pending.set(schema, (pending = new Map()));
    const inFlight = pending.get(topic);
    if (inFlight) return inFlight;
    const map = pending;
    const p = this.build(topic, schema).then(
      (w) => {
        let byTopic = this.ready.get(schema);
        if (!byTopic) this.ready.set(schema, (byTopic = new Map()));
        if (byTopic.size < this.limit || this.limit <= 0) byTopic.set(topic, w);
        map.delete(topic);
        return w;
      },
      (err: unknown) => {
        map.delete(topic);
        throw err;
      },
    );
    map.set(topic, p);
    return p;
  }
}
