import { describe, it, expect } from 'vitest';
import {
  decodeAssignment,
  decodeMetadata,
  encodeAssignment,
  encodeMetadata,
  type MemberAssignment,
  type MemberMetadata,
} from './group-protocol.ts';

describe('group protocol bytes', () => {
  it("member metadata is the consumer protocol's MemberMetadata v1 with the worker's JSON as userData", () => {
    const m: MemberMetadata = {
      id: 'h:1',
      url: 'http://h:1',
      running: { connectors: ['a'], tasks: [['a', 0]] },
      known: null,
      nonce: 2,
    };
    const bytes = encodeMetadata(m, ['c']);
    const json = Buffer.from(JSON.stringify(m));
    const header = Buffer.from('0001' + '00000001' + '0001' + '63', 'hex'); // version 1, topics ["c"]
    const len = Buffer.alloc(4);
    len.writeInt32BE(json.length);
    expect(bytes).toEqual(Buffer.concat([header, len, json]));
    expect(decodeMetadata(bytes)).toEqual(m);
  });

  it("an assignment gives the config topic's partition 0 and carries the worker's part as userData", () => {
    const a: MemberAssignment = {
      epoch: 3,
      leader: 'h:1',
      leaderUrl: 'http://h:1',
      worker: 'h:2',
      work: { connectors: [], tasks: [['a', 1]] },
      revoked: { connectors: ['b'], tasks: [] },
      lost: [],
      delayMs: 0,
    };
    const bytes = encodeAssignment(a, 'c');
    const json = Buffer.from(JSON.stringify(a));
    // version 1, one topic "c" with partitions [0], then userData
    const header = Buffer.from('0001' + '00000001' + '0001' + '63' + '00000001' + '00000000', 'hex');
    const len = Buffer.alloc(4);
    len.writeInt32BE(json.length);
    expect(bytes).toEqual(Buffer.concat([header, len, json]));
    expect(decodeAssignment(bytes)).toEqual(a);
  });

  it("rejects what is not a Tributary worker's (no assignment yet, foreign members)", () => {
    expect(decodeAssignment(Buffer.alloc(0))).toBeNull();
    expect(decodeAssignment(null)).toBeNull();
    expect(decodeMetadata(Buffer.from('000100000001000163000000027b7d', 'hex'))).toBeNull(); // userData {}
    expect(decodeAssignment(Buffer.from('0001000000010001630000000100000000000000027b7d', 'hex'))).toBeNull();
  });
});
