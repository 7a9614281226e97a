export const HEAP_GROWING_PERCENT: number;
export function heapFlags(execArgv: readonly string[]): string[];
export function tuneHeap(execArgv?: readonly string[]): string[];
