import { runScenario, type Fault } from '../harness.ts';
import { databaseRestart, latency, networkCut, workerKill } from '../faults.ts';
import { postgresToJdbc, type PostgresPipeline } from '../pipelines/postgres-to-jdbc.ts';
import type { ChaosScenario } from './types.ts';

function postgresScenario(name: string, fault: (p: PostgresPipeline) => Fault): ChaosScenario {
  return {
    name,
    async run(o) {
      const p = await postgresToJdbc();
      try {
        await p.worker.start();
        return await runScenario(name, p, fault(p), o);
      } finally {
        await p.close();
      }
    },
  };
}

export const postgresWorkerKill = postgresScenario('PostgreSQL→JDBC, worker SIGKILL', (p) => workerKill(p.worker));
export const postgresDatabaseRestart = postgresScenario('PostgreSQL→JDBC, database crash + restart', (p) =>
  databaseRestart(p.server),
);
export const postgresNetworkCut = postgresScenario('PostgreSQL→JDBC, network cut (proxy)', (p) => networkCut(p.proxy));
export const postgresLatency = postgresScenario('PostgreSQL→JDBC, 200 ms latency (proxy)', (p) =>
  latency(p.proxy, 200),
);
