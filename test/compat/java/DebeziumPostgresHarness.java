import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import io.debezium.embedded.Connect;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

/**
 * The PostgreSQL differential's oracle: one Debezium embedded engine (Connect format) per
 * properties file given as argument, all in this JVM. Each record is converted as a Kafka Connect
 * worker does (key/value with Kafka's JsonConverter, schemas on; headers with SimpleHeaderConverter)
 * and printed as one line: engine name, topic, base64 key ("-" = null), base64 value ("-" = null),
 * headers as key:base64 pairs joined by ",". Stops every engine and exits when stdin says "stop"
 * (or closes). An engine failure prints "FAILED<TAB>name<TAB>message" and exits with 2.
 */
public final class DebeziumPostgresHarness {
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);

  private static String b64(byte[] bytes) {
    return bytes == null ? "-" : B64.encodeToString(bytes);
  }

  public static void main(String[] args) throws Exception {
    List<DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>>> engines = new ArrayList<>();
    ExecutorService executor = Executors.newFixedThreadPool(args.length);
    for (String file : args) {
      Properties props = new Properties();
      try (FileInputStream in = new FileInputStream(file)) {
        props.load(in);
      }
      String name = props.getProperty("name");
      JsonConverter keyConverter = new JsonConverter();
      keyConverter.configure(Map.of("schemas.enable", "true"), true);
      JsonConverter valueConverter = new JsonConverter();
      valueConverter.configure(Map.of("schemas.enable", "true"), false);
      SimpleHeaderConverter headerConverter = new SimpleHeaderConverter();
      DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine = DebeziumEngine.create(Connect.class)
          .using(props)
          .notifying((List<ChangeEvent<SourceRecord, SourceRecord>> records, DebeziumEngine.RecordCommitter<ChangeEvent<SourceRecord, SourceRecord>> committer) -> {
            StringBuilder sb = new StringBuilder();
            for (ChangeEvent<SourceRecord, SourceRecord> event : records) {
              SourceRecord r = event.value() != null ? event.value() : event.key();
              byte[] key = keyConverter.fromConnectData(r.topic(), r.keySchema(), r.key());
              byte[] value = valueConverter.fromConnectData(r.topic(), r.valueSchema(), r.value());
              List<String> headers = new ArrayList<>();
              for (Header h : r.headers()) {
                headers.add(h.key() + ":" + b64(headerConverter.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value())));
              }
              sb.append(name).append('\t').append(r.topic()).append('\t').append(b64(key)).append('\t').append(b64(value)).append('\t').append(String.join(",", headers)).append('\n');
              committer.markProcessed(event);
            }
            synchronized (OUT) {
              OUT.print(sb);
              OUT.flush();
            }
            committer.markBatchFinished();
          })
          .using((success, message, error) -> {
            if (!success) {
              synchronized (OUT) {
                OUT.println("FAILED\t" + name + "\t" + (message + (error != null ? " " + error : "")).replace('\n', ' '));
                OUT.flush();
              }
              Runtime.getRuntime().halt(2);
            }
          })
          .build();
      engines.add(engine);
      executor.execute(engine);
    }
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = stdin.readLine()) != null && !line.equals("stop")) {
      // wait for the test to say stop
    }
    for (DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine : engines) engine.close();
    executor.shutdownNow();
    OUT.flush();
    Runtime.getRuntime().halt(0);
  }
}
