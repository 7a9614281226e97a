import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import java.io.FileInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Debezium's embedded engine (Json format: Kafka's JsonConverter) handing each batch to Kafka's
 * Java producer, as Debezium Server's Kafka sink does: send the batch, wait for every ack, then mark
 * the records processed. Args: engine.properties (Debezium connector + engine settings), the
 * bootstrap servers and optionally max.in.flight.requests.per.connection. The producer uses Kafka
 * Connect's worker overrides (acks=all, one request in flight unless the third argument says
 * otherwise, unbounded delivery timeout) with idempotence on, and the client's defaults otherwise
 * (batch.size 16384, linger.ms 5 in kafka-clients 4.x). Runs until SIGTERM.
 * With "none" for the bootstrap servers the batches go to a null sink: each record has been through
 * the engine and JsonConverter (key and value strings) and is then dropped; after each batch the
 * number of records so far is printed on stdout as "RECORDS n".
 */
public final class DebeziumToKafka {
  public static void main(String[] args) throws Exception {
    Properties engineProps = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      engineProps.load(in);
    }
    if (args[1].equals("none")) {
      runToNullSink(engineProps);
      return;
    }
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producerProps.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, args.length > 2 ? args[2] : "1");
    producerProps.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE));
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps);

    DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
        .using(engineProps)
        .notifying((List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) -> {
          List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
          for (ChangeEvent<String, String> r : records) {
            acks.add(producer.send(new ProducerRecord<>(r.destination(), r.key(), r.value())));
          }
          try {
            for (Future<RecordMetadata> ack : acks) ack.get();
          } catch (Exception e) {
            throw new InterruptedException("Kafka producer failed: " + e);
          }
          for (ChangeEvent<String, String> r : records) committer.markProcessed(r);
          committer.markBatchFinished();
        })
        .using((success, message, error) -> {
          if (!success) {
            System.err.println("ENGINE FAILED: " + message + (error != null ? " " + error : ""));
            System.exit(2);
          }
        })
        .build();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    executor.execute(engine);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        engine.close();
        producer.close();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
    System.err.println("ENGINE STARTED");
  }

  private static void runToNullSink(Properties engineProps) {
    long[] seen = new long[1];
    DebeziumEngine<ChangeEvent<String, String>> engine = DebeziumEngine.create(Json.class)
        .using(engineProps)
        .notifying((List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) -> {
          long bytes = 0;
          for (ChangeEvent<String, String> r : records) {
            // Touch both strings so the conversion cannot be skipped.
            bytes += (r.key() == null ? 0 : r.key().length()) + (r.value() == null ? 0 : r.value().length());
            committer.markProcessed(r);
          }
          committer.markBatchFinished();
          seen[0] += records.size();
          System.out.println("RECORDS " + seen[0] + " " + bytes);
          System.out.flush();
        })
        .using((success, message, error) -> {
          if (!success) {
            System.err.println("ENGINE FAILED: " + message + (error != null ? " " + error : ""));
            System.exit(2);
          }
        })
        .build();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    executor.execute(engine);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        engine.close();
      } catch (Exception ignored) {
        // exiting anyway
      }
    }));
    System.err.println("ENGINE STARTED");
  }
}
