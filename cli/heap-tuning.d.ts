export const HEAP_GROWING_PERCENT: number;
export function heapFlags(execArgv: readonly string[], env?: Record<string, string | undefined>): string[];
export function tuneHeap(execArgv?: readonly string[], env?: Record<string, string | undefined>): string[];
