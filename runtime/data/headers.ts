import type { Schema } from './schema.ts';

/** One record header: a key and a value with its schema (null for schemaless). */
export interface Header {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;
}

/** Ordered, multi-valued record headers (Kafka Connect's ConnectHeaders). */
export class Headers implements Iterable<Header> {
  private items: Header[];
  /** Copy-on-write: duplicate() shares the array until either side changes it. */
  private shared = false;

  constructor(items: Iterable<Header> = []) {
    this.items = [...items];
  }

  private writable(): Header[] {
    if (this.shared) {
      this.items = this.items.slice();
      this.shared = false;
    }
    return this.items;
  }

  add(key: string, value: unknown, schema: Schema | null = null): this {
    this.writable().push({ key, value, schema });
    return this;
  }

  /** Appends these headers themselves (headers are immutable, so records may share them). */
  addAll(headers: Iterable<Header>): this {
    const items = this.writable();
    for (const h of headers) items.push(h);
    return this;
  }

  addString(key: string, value: string): this {
    return this.add(key, value, null);
  }

  lastWithName(key: string): Header | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].key === key) return this.items[i];
    return undefined;
  }

  allWithName(key: string): Header[] {
    return this.items.filter((h) => h.key === key);
  }

  remove(key: string): this {
    this.items = this.items.filter((h) => h.key !== key);
    this.shared = false;
    return this;
  }

  retainLatest(): this {
    const seen = new Set<string>();
    const kept: Header[] = [];
    for (let i = this.items.length - 1; i >= 0; i--) {
      if (!seen.has(this.items[i].key)) {
        seen.add(this.items[i].key);
        kept.unshift(this.items[i]);
      }
    }
    this.items = kept;
    this.shared = false;
    return this;
  }

  get size(): number {
    return this.items.length;
  }

  duplicate(): Headers {
    const copy = new Headers();
    copy.items = this.items;
    copy.shared = true;
    this.shared = true;
    return copy;
  }

  [Symbol.iterator](): Iterator<Header> {
    return this.items[Symbol.iterator]();
  }
}
