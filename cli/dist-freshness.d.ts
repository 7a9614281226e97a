export type DistState = 'fresh' | 'stale' | 'absent';
export const ROOT: string;
export const STAMP: string;
export function scanSources(root?: string): { newestMtimeMs: number; files: number };
export function distState(root?: string): DistState;
export function entryChoice(
  state: DistState,
  env: Record<string, string | undefined>,
): { run: 'dist' | 'sources'; note: string | null };
