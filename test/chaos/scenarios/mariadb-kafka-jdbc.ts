import { runScenario, type Fault } from '../harness.ts';
import { brokerRestart, workerKill } from '../faults.ts';
import { mariadbToKafkaToJdbc, type KafkaPipeline } from '../pipelines/mariadb-kafka-jdbc.ts';
import type { ChaosScenario } from './types.ts';

function kafkaScenario(name: string, fault: (p: KafkaPipeline) => Fault): ChaosScenario {
  return {
    name,
    async run(o) {
      const p = await mariadbToKafkaToJdbc();
      try {
        await p.worker.start();
        return await runScenario(name, p, fault(p), o);
      } finally {
        await p.close();
      }
    },
  };
}

export const kafkaBrokerRestart = kafkaScenario('MariaDB→Kafka→JDBC, broker SIGKILL + restart', (p) => brokerRestart(p.cluster));
export const kafkaWorkerKill = kafkaScenario('MariaDB→Kafka→JDBC, worker SIGKILL', (p) => workerKill(p.worker));
