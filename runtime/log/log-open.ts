/**
 * Opening the embedded log: the data file checked before it is mapped (store-guard.ts), the store's
 * identity settled against the directory's marker, the LMDB options and the settings with their
 * defaults, and how a failure to open is worded.
 */
import path from 'node:path';
import { ConnectException } from '../errors.ts';
import {
  DATA_FILE,
  MARKER_FILE,
  StoreRefusedError,
  checkDataFile,
  describeStorageError,
  newStoreId,
  readMarker,
  writeMarker,
  type StoreMarker,
} from './store-guard.ts';
import type { LogStorage } from './log-storage.ts';
import { DEFAULT_MAP_SIZE, DEFAULT_RETENTION_CHECK_MS, DEFAULT_RETENTION_MS, type LogSettings } from './log-model.ts';
import type { EmbeddedLogOptions, SyncPolicy } from './types.ts';

/** Before mapping: the data file must be sound, and present wherever the marker says a store lives. */
export function checkStore(dir: string, allowReinit: boolean): StoreMarker | null {
  const state = checkDataFile(dir);
  const marker = readMarker(dir);
  if (marker && state !== 'present' && !allowReinit) {
    const file = path.join(dir, DATA_FILE);
    throw new StoreRefusedError(
      `The embedded log ${file} is ${state === 'missing' ? 'missing' : 'empty (0 bytes)'}, but ${path.join(dir, MARKER_FILE)} says store ${marker.storeId} (created ${marker.createdAt}) lives here: ` +
        'its connectors, offsets and records are gone. Restore data.mdb from a backup, or start a new empty store with tributary.data.allow.reinit=true',
    );
  }
  return marker;
}

/** After opening: the store's id (in `meta`) must match the marker; a new store gets both. */
export async function settleIdentity(
  storage: LogStorage,
  marker: StoreMarker | null,
  allowReinit: boolean,
): Promise<void> {
  const stored = storage.metaDb.get('storeId') as string | undefined;
  if (marker && stored !== undefined && stored !== marker.storeId && !allowReinit) {
    throw new StoreRefusedError(
      `The embedded log ${path.join(storage.realDir, DATA_FILE)} is store ${stored}, but ${path.join(storage.realDir, MARKER_FILE)} says store ${marker.storeId} lives here: ` +
        'the data file was replaced. Put the right data.mdb back, or accept this one with tributary.data.allow.reinit=true',
    );
  }
  if (
    marker &&
    stored === undefined &&
    !allowReinit &&
    (storage.metaDb.get('nextPid') !== undefined || storage.kvDb.getKeysCount() > 0)
  ) {
    // A store written before markers existed but with a marker from elsewhere: refuse as replaced.
    throw new StoreRefusedError(
      `The embedded log ${path.join(storage.realDir, DATA_FILE)} has no store id, but ${path.join(storage.realDir, MARKER_FILE)} says store ${marker.storeId} lives here; accept it with tributary.data.allow.reinit=true`,
    );
  }
  let id = stored;
  if (id === undefined) {
    id = marker && !allowReinit ? marker.storeId : newStoreId();
    await storage.openWrite(storage.metaDb.put('storeId', id));
  }
  if (!marker || marker.storeId !== id)
    writeMarker(storage.realDir, { storeId: id, createdAt: new Date().toISOString() });
}

/** The environment's options: durability per the sync policy, one transaction per queued unit (group commit). */
export function lmdbOptionsFor(opts: EmbeddedLogOptions, sync: SyncPolicy) {
  return {
    path: opts.dir,
    noSubdir: false,
    maxDbs: 16,
    mapSize: opts.mapSizeBytes ?? DEFAULT_MAP_SIZE,
    // 'durable': the commit itself fsyncs (overlappingSync would resolve writes before the flush).
    overlappingSync: false,
    noSync: sync === 'os',
    // Start a transaction as soon as a write is queued instead of at the end of the event turn:
    // the writer thread copies one append while JS encodes the next, and whatever is queued while
    // a commit (fsync) runs goes into the next transaction (group commit). Every unit that must be
    // atomic is an explicit block (conditional block, batch or transaction callback).
    eventTurnBatching: false,
    txnStartThreshold: 1,
    commitDelay: 0,
  };
}

/** The options with their defaults. */
export function settingsFor(opts: EmbeddedLogOptions, sync: SyncPolicy): LogSettings {
  return {
    dir: opts.dir,
    sync,
    defaultPartitions: opts.defaultPartitions ?? 1,
    autoCreateTopics: opts.autoCreateTopics ?? true,
    retentionCheckIntervalMs: opts.retentionCheckIntervalMs ?? DEFAULT_RETENTION_CHECK_MS,
    retentionMs: opts.retentionMs ?? DEFAULT_RETENTION_MS,
    retentionBytes: opts.retentionBytes ?? -1,
    logger: opts.logger,
  };
}

/** Errors of opening: refusals as they are, storage conditions worded with the path. */
export function storageFailure(err: unknown, dir: string): unknown {
  if (err instanceof ConnectException) return err;
  return new StoreRefusedError(`Cannot open the embedded log in ${dir}: ${describeStorageError(err, dir)}`);
}
