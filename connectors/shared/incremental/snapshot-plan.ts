/**
 * The bookkeeping of an incremental snapshot that both database connectors share: which signal
 * does what (parsed and validated by signals.ts; a rejected or unknown signal is logged, never
 * half-applied), which tables are queued with their additional condition, what stop-snapshot
 * removes, pause/resume, moving to the next table, and the progress in Debezium's offset keys
 * (incremental-state.ts). The connectors keep the protocol: reading chunks and watermarks.
 */
import type { Logger } from '../../../sdk/logging.ts';
import type { SourceOffset } from '../../../sdk/data.ts';
import { type IncrementalState, type SnapshotCollection, stateOffset } from './incremental-state.ts';
import {
  checkAdditionalCondition,
  matchesAny,
  parseSignal,
  SignalRejected,
  type AdditionalCondition,
  type SignalAction,
} from './signals.ts';

/** Parses a signal row and hands its action on; rejected and unknown signals are logged and skipped. */
export async function dispatchSignal(
  row: { id: string; type: string; data: string | null },
  logger: Logger,
  handle: (action: SignalAction) => Promise<void> | void,
): Promise<void> {
  let action: SignalAction | null;
  try {
    action = parseSignal(row.id, row.type, row.data);
  } catch (err) {
    if (!(err instanceof SignalRejected)) throw err;
    logger.error({ id: row.id, type: row.type, data: row.data }, `Signal rejected: ${err.message}`);
    return;
  }
  if (action === null) {
    logger.warn({ id: row.id, type: row.type }, 'Unknown signal type; ignored');
    return;
  }
  await handle(action);
}

export class SnapshotPlan {
  /** The running snapshot, null when none runs. */
  state: IncrementalState | null;
  paused = false;
  private memo: { key: unknown[]; value: SourceOffset } | null = null;

  constructor(
    private readonly logger: Logger,
    resumed: IncrementalState | null,
  ) {
    this.state = resumed;
  }

  get active(): boolean {
    return this.state !== null;
  }

  /** Offset entries of the running snapshot (null when none runs), built once per state change. */
  offset(): SourceOffset | null {
    const st = this.state;
    if (!st) return null;
    const key = [st.collections, st.collections.length, st.collections[0], st.lastKey, st.maxKey, st.correlationId];
    if (this.memo && key.every((v, i) => v === this.memo!.key[i])) return this.memo.value;
    const value = stateOffset(st);
    this.memo = { key, value };
    return value;
  }

  /** The table being read. */
  get current(): SnapshotCollection | undefined {
    return this.state?.collections[0];
  }

  /**
   * execute-snapshot: queues the captured tables the signal names and the snapshot does not hold
   * yet, each with the first additional condition naming it (refused by `checkCondition`, by default
   * checkAdditionalCondition, for both connectors: that
   * table is skipped); returns the tables queued.
   */
  execute(
    signalId: string,
    captured: readonly string[],
    patterns: readonly string[],
    conditions: readonly AdditionalCondition[],
    checkCondition: (condition: string) => void = checkAdditionalCondition,
    surrogateKey: string | null = null,
  ): SnapshotCollection[] {
    const added: SnapshotCollection[] = [];
    for (const name of captured.filter((n) => matchesAny(patterns, n))) {
      if (this.state?.collections.some((x) => x.id === name)) continue;
      const condition = conditions.find((x) => x.collection.test(name))?.filter ?? null;
      if (condition !== null) {
        try {
          checkCondition(condition);
        } catch (err) {
          this.logger.error({ id: signalId, table: name }, `Signal rejected for this table: ${(err as Error).message}`);
          continue;
        }
      }
      added.push({ id: name, condition, ...(surrogateKey ? { surrogateKey } : {}) });
    }
    if (added.length === 0) {
      this.logger.warn(
        { id: signalId, patterns, captured: captured.length },
        'execute-snapshot: no captured table matches data-collections (or all already run); nothing to do',
      );
      return added;
    }
    this.logger.info({ id: signalId, collections: added.map((x) => x.id) }, 'Incremental snapshot requested');
    if (this.state) this.state.collections.push(...added);
    else this.state = { collections: added, lastKey: null, maxKey: null, correlationId: signalId };
    return added;
  }

  /**
   * stop-snapshot: removes the queued tables the patterns name (all when null); returns them and
   * whether the table being read was one (its chunk in flight is then void).
   */
  stop(patterns: readonly string[] | null): { stopped: string[]; current: boolean } {
    if (!this.state) return { stopped: [], current: false };
    const current = this.state.collections[0]?.id;
    const stopped = this.state.collections
      .filter((x) => patterns === null || matchesAny(patterns, x.id))
      .map((x) => x.id);
    if (stopped.length === 0) return { stopped, current: false };
    this.logger.info({ stopped }, 'Incremental snapshot stopped for tables');
    this.state.collections = this.state.collections.filter((x) => !stopped.includes(x.id));
    const wasCurrent = current !== undefined && stopped.includes(current);
    if (wasCurrent) {
      this.state.lastKey = null;
      this.state.maxKey = null;
    }
    if (this.state.collections.length === 0) this.state = null;
    return { stopped, current: wasCurrent };
  }

  /** pause-snapshot / resume-snapshot. */
  pause(paused: boolean): void {
    if (paused && this.state && !this.paused) this.logger.info('Incremental snapshot paused');
    if (!paused && this.paused) this.logger.info('Incremental snapshot resumed');
    this.paused = paused;
  }

  /** The current table is done (or skipped): returns it; the state becomes null after the last. */
  nextTable(): SnapshotCollection | undefined {
    if (!this.state) return undefined;
    const done = this.state.collections.shift();
    this.state.lastKey = null;
    this.state.maxKey = null;
    if (this.state.collections.length === 0) this.state = null;
    return done;
  }

  finish(): void {
    this.state = null;
  }
}
