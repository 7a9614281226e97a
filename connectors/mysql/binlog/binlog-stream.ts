/**
 * Binlog events with their coordinates: combines the replication client and the event parser,
 * follows ROTATE events to know the current file, computes each event's start position (also
 * when the server writes log_pos 0), and reports a corrupt event with its file and position.
 */
import { BinlogFormatError } from './byte-reader.ts';
import { type BinlogClientOptions, BinlogClient } from './binlog-client.ts';
import { type BinlogEvent, BinlogEventParser, type BinlogEventBody } from './event-parser.ts';
import { EventFlag, type EventHeader } from './event-types.ts';

export interface PositionedEvent extends BinlogEvent {
  file: string;
  /** Start of this event in `file`. */
  position: number;
  /** Start of the next event in `file`. */
  nextPosition: number;
}

export class CorruptBinlogEventError extends Error {
  constructor(
    readonly file: string,
    readonly position: number,
    cause: Error,
  ) {
    super(`corrupt binlog event in ${file} at position ${position}: ${cause.message}`, { cause });
    this.name = 'CorruptBinlogEventError';
  }
}

/** Tracks file/position across events; shared by the network stream and the offline file reader. */
export class PositionTracker {
  file: string;
  position: number;

  constructor(file: string, position: number) {
    this.file = file;
    this.position = position;
  }

  /** Coordinates of an event given its header (before its body is applied). */
  locate(header: EventHeader): { position: number; nextPosition: number } {
    if (header.nextPosition > 0 && !(header.flags & EventFlag.ARTIFICIAL)) {
      return { position: header.nextPosition - header.eventLength, nextPosition: header.nextPosition };
    }
    return {
      position: this.position,
      nextPosition: header.nextPosition > 0 ? header.nextPosition : this.position + header.eventLength,
    };
  }

  /** Moves past an event; ROTATE switches files. Heartbeats and artificial events do not move. */
  advance(body: BinlogEventBody, header: EventHeader, nextPosition: number): void {
    if (body.kind === 'rotate') {
      this.file = body.nextFile;
      this.position = body.position;
      return;
    }
    if (body.kind === 'heartbeat') {
      if (body.file) this.file = body.file;
      const p = body.position ?? header.nextPosition;
      if (p > 0) this.position = p;
      return;
    }
    if (header.flags & EventFlag.ARTIFICIAL || (header.timestamp === 0 && body.kind === 'formatDescription')) return;
    this.position = nextPosition;
  }
}

export class BinlogEventStream {
  readonly client: BinlogClient;
  readonly parser: BinlogEventParser;
  readonly tracker: PositionTracker;

  constructor(options: BinlogClientOptions) {
    this.client = new BinlogClient(options);
    this.parser = new BinlogEventParser(false);
    this.tracker = new PositionTracker(options.start.file ?? '', options.start.position ?? 4);
  }

  async connect(): Promise<void> {
    await this.client.connect();
    this.parser.checksumBeforeFde = this.client.checksum === 'CRC32';
  }

  /** The next event; null at end of stream, undefined when none arrived within `timeoutMs`. */
  async next(timeoutMs: number, signal?: AbortSignal): Promise<PositionedEvent | null | undefined> {
    const raw = await this.client.next(timeoutMs, signal);
    if (!raw) return raw;
    let header: EventHeader | null = null;
    try {
      const ev = this.parser.parse(raw);
      header = ev.header;
      const loc = this.tracker.locate(ev.header);
      // Built field by field: an object spread per event costs more than the rest of this method.
      const out: PositionedEvent = {
        header: ev.header,
        body: ev.body,
        file: this.tracker.file,
        position: loc.position,
        nextPosition: loc.nextPosition,
      };
      this.tracker.advance(ev.body, ev.header, loc.nextPosition);
      return out;
    } catch (err) {
      if (err instanceof BinlogFormatError || err instanceof RangeError) {
        const pos = header
          ? this.tracker.locate(header).position
          : raw.length >= 19
            ? this.tracker.locate({
                timestamp: 0,
                type: raw[4],
                serverId: 0,
                eventLength: raw.readUInt32LE(9),
                nextPosition: raw.readUInt32LE(13),
                flags: raw.readUInt16LE(17),
              }).position
            : this.tracker.position;
        throw new CorruptBinlogEventError(this.tracker.file, pos, err);
      }
      throw err;
    }
  }

  close(): void {
    this.client.close();
  }
}
