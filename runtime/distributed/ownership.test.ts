import { describe, it, expect } from 'vitest';
import { ownerOf } from './ownership.ts';

const workers = (n: number) => Array.from({ length: n }, (_x, i) => ({ id: `10.0.0.${i + 1}:8083`, url: `http://10.0.0.${i + 1}:8083` }));
const names = Array.from({ length: 300 }, (_x, i) => `connector-${i}`);

describe('ownerOf', () => {
  it('gives every worker the same answer whatever order it lists the members in', () => {
    const ws = workers(4);
    for (const n of names) expect(ownerOf(n, ws)!.id).toBe(ownerOf(n, [...ws].reverse())!.id);
  });

  it('moves only the departed worker\'s connectors, and spreads them over the survivors', () => {
    const before = workers(3);
    const after = before.filter((w) => w.id !== before[1].id);
    const moved = names.filter((n) => ownerOf(n, before)!.id !== ownerOf(n, after)!.id);
    expect(moved.every((n) => ownerOf(n, before)!.id === before[1].id)).toBe(true);
    expect(moved.length).toBe(names.filter((n) => ownerOf(n, before)!.id === before[1].id).length);
    const newOwners = new Set(moved.map((n) => ownerOf(n, after)!.id));
    expect(newOwners.size).toBe(2);
  });

  it('balances connectors roughly evenly', () => {
    const ws = workers(3);
    const counts = new Map<string, number>();
    for (const n of names) counts.set(ownerOf(n, ws)!.id, (counts.get(ownerOf(n, ws)!.id) ?? 0) + 1);
    for (const c of counts.values()) expect(c).toBeGreaterThan(70);
  });

  it('has no owner without members', () => {
    expect(ownerOf('x', [])).toBeNull();
  });
});
