/**
 * GTID positions. MySQL: a GTID set `uuid:1-5:7-9,uuid2:1-3` (intervals per source UUID, optional
 * tags from 8.3), binary-encoded as in PREVIOUS_GTIDS / COM_BINLOG_DUMP_GTID. MariaDB: a position
 * `domain-server-seq,…`, one watermark per replication domain.
 */
import { BinlogFormatError, ByteReader, ByteWriter } from './byte-reader.ts';

export interface GtidInterval {
  start: bigint;
  end: bigint;
} // inclusive bounds

/** Key: `uuid` or `uuid:tag`. Changed only through addInterval/add (the text is cached between changes). */
export class MysqlGtidSet {
  readonly sets = new Map<string, GtidInterval[]>();
  private text: string | null = null;

  static parse(text: string): MysqlGtidSet {
    const set = new MysqlGtidSet();
    for (const part of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const pieces = part.split(':');
      const uuid = pieces[0].toLowerCase();
      if (!/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/.test(uuid))
        throw new BinlogFormatError(`invalid GTID set "${text}": bad source id "${pieces[0]}"`);
      let tag = '';
      for (const p of pieces.slice(1)) {
        const m = /^(\d+)(?:-(\d+))?$/.exec(p);
        if (!m) {
          if (!/^[a-z_][a-z0-9_]{0,31}$/i.test(p))
            throw new BinlogFormatError(`invalid GTID set "${text}": bad interval "${p}"`);
          tag = p.toLowerCase();
          continue;
        }
        set.addInterval(tag ? `${uuid}:${tag}` : uuid, BigInt(m[1]), BigInt(m[2] ?? m[1]));
      }
    }
    return set;
  }

  add(uuid: string, gno: bigint, tag = ''): void {
    this.addInterval(tag ? `${uuid}:${tag}` : uuid, gno, gno);
  }

  addInterval(key: string, start: bigint, end: bigint): void {
    this.text = null;
    const list = this.sets.get(key) ?? [];
    list.push({ start, end });
    list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    const merged: GtidInterval[] = [];
    for (const iv of list) {
      const last = merged[merged.length - 1];
      if (last && iv.start <= last.end + 1n) {
        if (iv.end > last.end) last.end = iv.end;
      } else merged.push({ ...iv });
    }
    this.sets.set(key, merged);
  }

  contains(uuid: string, gno: bigint, tag = ''): boolean {
    return (this.sets.get(tag ? `${uuid}:${tag}` : uuid) ?? []).some((iv) => gno >= iv.start && gno <= iv.end);
  }

  toString(): string {
    return (this.text ??= [...this.sets.keys()]
      .sort()
      .map((key) => {
        const ivs = this.sets.get(key)!.map((iv) => (iv.start === iv.end ? `${iv.start}` : `${iv.start}-${iv.end}`));
        return `${key}:${ivs.join(':')}`;
      })
      .join(','));
  }

  /** Binary encoding (n_sids u64, then uuid[16], n_intervals u64, [start u64, end-exclusive u64]…). Tagged format when any tag exists. */
  encode(): Buffer {
    const keys = [...this.sets.keys()].sort();
    const tagged = keys.some((k) => k.includes(':'));
    const w = new ByteWriter();
    if (tagged) w.u64((1n << 56n) | (BigInt(keys.length) << 8n) | 1n);
    else w.u64(keys.length);
    for (const key of keys) {
      const [uuid, tag = ''] = key.split(':');
      w.bytes(Buffer.from(uuid.replace(/-/g, ''), 'hex'));
      if (tagged) w.u8(tag.length << 1).bytes(tag);
      const ivs = this.sets.get(key)!;
      w.u64(ivs.length);
      for (const iv of ivs) w.u64(iv.start).u64(iv.end + 1n);
    }
    return w.build();
  }

  static decode(buf: Buffer): MysqlGtidSet {
    const r = new ByteReader(buf);
    const set = new MysqlGtidSet();
    const head = r.u64();
    const tagged = head >> 56n === 1n && (head & 0xffn) === 1n;
    const n = tagged ? Number((head >> 8n) & 0xffffffffffffn) : Number(head);
    for (let i = 0; i < n; i++) {
      const uuid = formatUuid(r.bytes(16));
      let tag = '';
      if (tagged) tag = r.string(r.u8() >> 1);
      const count = r.u64n();
      for (let k = 0; k < count; k++) {
        const start = r.u64();
        const endExclusive = r.u64();
        set.addInterval(tag ? `${uuid}:${tag}` : uuid, start, endExclusive - 1n);
      }
    }
    return set;
  }
}

export function formatUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface MariadbGtid {
  domainId: number;
  serverId: number;
  sequence: bigint;
}

export function formatMariadbGtid(g: MariadbGtid): string {
  return `${g.domainId}-${g.serverId}-${g.sequence}`;
}

/** MariaDB GTID position: the last GTID per domain. Changed only through advance (the text is cached between changes). */
export class MariadbGtidPosition {
  readonly domains = new Map<number, MariadbGtid>();
  private text: string | null = null;

  static parse(text: string): MariadbGtidPosition {
    const p = new MariadbGtidPosition();
    for (const part of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = /^(\d+)-(\d+)-(\d+)$/.exec(part);
      if (!m)
        throw new BinlogFormatError(`invalid MariaDB GTID position "${text}": "${part}" is not domain-server-sequence`);
      p.advance({ domainId: Number(m[1]), serverId: Number(m[2]), sequence: BigInt(m[3]) });
    }
    return p;
  }

  advance(g: MariadbGtid): void {
    this.text = null;
    this.domains.set(g.domainId, { ...g });
  }

  clone(): MariadbGtidPosition {
    const p = new MariadbGtidPosition();
    for (const g of this.domains.values()) p.advance(g);
    return p;
  }

  toString(): string {
    return (this.text ??= [...this.domains.values()]
      .sort((a, b) => a.domainId - b.domainId)
      .map(formatMariadbGtid)
      .join(','));
  }
}
