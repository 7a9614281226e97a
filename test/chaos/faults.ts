/** The faults a chaos scenario injects while its load runs, each with the step that clears it. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrivatePostgres } from '../helpers/private-postgres.ts';
import type { PrivateKafkaCluster } from '../helpers/private-kafka-cluster.ts';
import type { SmallFs } from '../helpers/small-fs.ts';
import type { TcpProxy } from '../helpers/tcp-proxy.ts';
import { waitFor } from '../helpers/wait.ts';
import type { ChaosWorker, Fault } from './harness.ts';
import type { FilePipeline } from './pipelines/file-to-file.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** SIGKILL of the worker process; cleared by starting it again (from the same data directory). */
export function workerKill(worker: ChaosWorker): Fault {
  return { inject: () => worker.kill(), clear: () => worker.start() };
}

/** PostgreSQL crashes (immediate shutdown: no checkpoint, WAL recovery at the next start). */
export function databaseRestart(server: PrivatePostgres): Fault {
  return {
    inject: async () => server.stop('immediate'),
    clear: async () => server.start(),
  };
}

/** Every connection through the proxy is reset and new ones are refused until it is restored. */
export function networkCut(proxy: TcpProxy): Fault {
  return {
    inject: async () => proxy.outage(),
    clear: async () => proxy.restore(),
  };
}

/** `ms` of added latency in each direction through the proxy. */
export function latency(proxy: TcpProxy, ms: number): Fault {
  return {
    inject: async () => {
      proxy.latencyMs = ms;
    },
    clear: async () => {
      proxy.latencyMs = 0;
    },
  };
}

/** The Kafka broker killed with SIGKILL (a one-node cluster: the whole transport is gone), then started again. */
export function brokerRestart(cluster: PrivateKafkaCluster): Fault {
  return { inject: () => cluster.stop(0, 'kill'), clear: () => cluster.start(0) };
}

/** The small filesystem under the embedded log filled to the last byte; cleared by deleting the filler. Records what /health said meanwhile. */
export function diskFull(disk: SmallFs, worker: ChaosWorker): Fault {
  const observed: string[] = [];
  return {
    observed,
    inject: async () => {
      disk.fill(1 << 30);
      const health = await waitFor(
        async () => {
          const h = (await worker.api('GET', '/health')).body;
          return h?.status === 'degraded' ? h : undefined;
        },
        { timeoutMs: 60_000, what: '/health to say degraded on the full disk' },
      ).catch(() => undefined);
      const line = health
        ? `disk full: /health degraded: ${String(health.message)
            .split('\n')[0]
            .replace(/ since \S+Z:/, ':')}`
        : 'disk full: once, /health did not say degraded within 60 s of the disk filling (no write needed new space meanwhile); the space was freed after that';
      if (!observed.includes(line)) observed.push(line);
    },
    clear: async () => disk.free(),
  };
}

/**
 * A byte flipped inside a stored record of the embedded log that the sink has not read yet
 * (the sink is paused meanwhile, so such records exist). The sink's task must fail naming the
 * position instead of delivering the record; the operator step that clears it: worker stopped,
 * `tributary log recover --yes` (the partition cut at the last valid batch), worker started, the
 * source's offsets reset so the source re-reads its file (what was cut comes again: duplicates,
 * never a loss).
 */
export function dataDirCorruption(p: FilePipeline): Fault {
  const observed: string[] = [];
  const note = (s: string) => {
    if (!observed.includes(s)) observed.push(s);
  };
  const w = p.worker;
  const stateOf = async (name: string) => (await w.api('GET', `/connectors/${name}/status`)).body;
  return {
    observed,
    inject: async () => {
      await w.api('PUT', '/connectors/sink/pause');
      await waitFor(async () => (await stateOf('sink'))?.tasks?.[0]?.state === 'PAUSED', { what: 'the sink paused' });
      const delivered = new Set((await p.sinkState()).ids);
      // the load keeps committing events while the sink is paused; a target well past the sink's
      // position (not one it may have taken before the pause)
      const undelivered = async () => (await p.sourceIds()).filter((id) => !delivered.has(id));
      const candidates = await waitFor(
        async () => {
          const u = await undelivered();
          return u.length >= 80 ? u.slice(50, 80) : undefined;
        },
        { timeoutMs: 60_000, what: '80 events the paused sink has not delivered' },
      );
      const file = path.join(p.dataDir, 'data.mdb');
      const places = (buf: Buffer, id: number): number[] => {
        const needle = Buffer.from(`ev-${id}`);
        const out: number[] = [];
        for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
          const next = buf[at + needle.length];
          if (!(next >= 0x30 && next <= 0x39)) out.push(at); // not ev-12 inside ev-123
        }
        return out;
      };
      // the records must be in the log (read by the source, not yet by the paused sink) before the worker is killed
      await waitFor(() => places(fs.readFileSync(file), candidates[candidates.length - 1]).length > 0, {
        timeoutMs: 60_000,
        what: `event ${candidates[candidates.length - 1]} in ${file}`,
      });
      await w.kill();
      // LMDB keeps stale copies of pages it rewrote: flip candidates until `log verify` sees a live batch corrupt
      let corrupted: number | null = null;
      for (const id of candidates) {
        const buf = fs.readFileSync(file);
        const at = places(buf, id);
        if (at.length === 0) continue;
        for (const i of at) buf[i] = 0x45; // 'e' -> 'E'
        fs.writeFileSync(file, buf);
        const v = spawnSync(
          process.execPath,
          [path.join(ROOT, 'cli/bin.js'), 'log', 'verify', '--data-dir', p.dataDir, '--topic', p.topic],
          { encoding: 'utf8' },
        );
        if (v.status === 1 && /CORRUPT/.test(v.stdout)) {
          corrupted = id;
          break;
        }
      }
      if (corrupted === null)
        throw new Error(
          `none of events ${candidates[0]}..${candidates[candidates.length - 1]} could be corrupted in a live batch of ${file}`,
        );
      await w.start({ untilRunning: false });
      await w.api('PUT', '/connectors/sink/resume');
      const failed = await waitFor(
        async () => {
          const t = (await stateOf('sink'))?.tasks?.[0];
          return t?.state === 'FAILED' ? t : undefined;
        },
        { timeoutMs: 60_000, what: 'the sink task to fail on the corrupt record' },
      ).catch(() => undefined);
      note(
        failed
          ? `corruption: sink task FAILED: ${String(failed.trace).split('\n')[0].slice(0, 240)}`
          : 'corruption: the sink task did NOT fail within 60 s',
      );
    },
    clear: async () => {
      await w.kill();
      const r = spawnSync(
        process.execPath,
        [
          path.join(ROOT, 'cli/bin.js'),
          'log',
          'recover',
          '--data-dir',
          p.dataDir,
          '--topic',
          p.topic,
          '--partition',
          '0',
          '--yes',
        ],
        { encoding: 'utf8' },
      );
      note(`operator: tributary log recover → exit ${r.status}: ${(r.stdout + r.stderr).trim().split('\n').pop()}`);
      if (r.status !== 0) throw new Error(`tributary log recover failed: ${r.stdout}${r.stderr}`);
      await w.start({ untilRunning: false });
      // Asked again until it holds: REST answers before the restarted worker has restored its connectors.
      let stopAnswer: unknown;
      await waitFor(
        async () => {
          if ((await stateOf('src'))?.connector?.state === 'STOPPED') return true;
          const res = await w.api('PUT', '/connectors/src/stop');
          stopAnswer = `${res.status} ${JSON.stringify(res.body)}`;
          return false;
        },
        { what: 'the source stopped', timeoutMs: 60_000, intervalMs: 250 },
      ).catch((err: Error) => {
        throw new Error(`${err.message} (last PUT /connectors/src/stop: ${String(stopAnswer)})`);
      });
      const reset = await w.api('DELETE', '/connectors/src/offsets');
      if (reset.status !== 200)
        throw new Error(`resetting the source's offsets: ${reset.status} ${JSON.stringify(reset.body)}`);
      await w.api('PUT', '/connectors/src/resume');
      await w.api('PUT', '/connectors/sink/resume');
      await waitFor(async () => Object.values(await w.taskStates()).every((s) => s === 'RUNNING'), {
        timeoutMs: 60_000,
        what: 'both tasks running after the operator step',
      });
    },
  };
}
