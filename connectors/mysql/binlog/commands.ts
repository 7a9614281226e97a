/** Replication command payloads (without the 4-byte packet header): COM_REGISTER_SLAVE, COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID. */
import { ByteWriter } from './byte-reader.ts';
import type { MysqlGtidSet } from './gtid.ts';

export const Command = { BINLOG_DUMP: 0x12, REGISTER_SLAVE: 0x15, BINLOG_DUMP_GTID: 0x1e } as const;

export const DumpFlag = {
  NON_BLOCK: 0x01,
  /** MySQL: ask for HEARTBEAT_LOG_EVENT_V2. */
  MYSQL_HEARTBEAT_V2: 0x02,
  /** MariaDB: send ANNOTATE_ROWS events (same bit as MySQL's heartbeat v2 flag). */
  MARIADB_SEND_ANNOTATE_ROWS: 0x02,
  MYSQL_SKIP_TAGGED_GTIDS: 0x04,
} as const;

export function registerSlavePayload(o: {
  serverId: number;
  host?: string;
  user?: string;
  password?: string;
  port?: number;
  masterId?: number;
}): Buffer {
  return new ByteWriter()
    .u8(Command.REGISTER_SLAVE)
    .u32(o.serverId)
    .packedBytes(o.host ?? '')
    .packedBytes(o.user ?? '')
    .packedBytes(o.password ?? '')
    .u16(o.port ?? 0)
    .u32(0) // replication rank, ignored
    .u32(o.masterId ?? 0)
    .build();
}

export function binlogDumpPayload(o: { file: string; position: number; serverId: number; flags?: number }): Buffer {
  return new ByteWriter()
    .u8(Command.BINLOG_DUMP)
    .u32(o.position)
    .u16(o.flags ?? 0)
    .u32(o.serverId)
    .bytes(Buffer.from(o.file, 'latin1'))
    .build();
}

export function binlogDumpGtidPayload(o: {
  file?: string;
  position?: number;
  serverId: number;
  flags?: number;
  gtidSet: MysqlGtidSet;
}): Buffer {
  const name = Buffer.from(o.file ?? '', 'latin1');
  const gtids = o.gtidSet.encode();
  return new ByteWriter()
    .u8(Command.BINLOG_DUMP_GTID)
    .u16(o.flags ?? 0)
    .u32(o.serverId)
    .u32(name.length)
    .bytes(name)
    .u64(o.position ?? 4)
    .u32(gtids.length)
    .bytes(gtids)
    .build();
}
