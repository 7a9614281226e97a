import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
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
 * Differential oracle: Debezium's embedded engine (Connect format: the connector's SourceRecords,
 * untouched) with each record converted as a Kafka Connect worker would with JsonConverter
 * (schemas on) for key and value and SimpleHeaderConverter for headers. Prints one line per record,
 * in delivery order: {"topic":..., "key":base64|null, "value":base64|null, "headers":[[name, base64|null], ...]}.
 * Args: engine.properties. Runs until stdin closes or reads "stop"; engine failures print
 * "ENGINE FAILED" on stderr and exit 2.
 */
public final class DebeziumRecordDump {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      props.load(in);
    }
    JsonConverter keys = new JsonConverter();
    JsonConverter values = new JsonConverter();
    Map<String, String> conf = new HashMap<>();
    conf.put("schemas.enable", "true");
    keys.configure(conf, true);
    values.configure(conf, false);
    SimpleHeaderConverter headers = new SimpleHeaderConverter();
    headers.configure(new HashMap<>());
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Base64.Encoder b64 = Base64.getEncoder();

    DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
        .using(props)
        .notifying((List<RecordChangeEvent<SourceRecord>> batch, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) -> {
          StringBuilder sb = new StringBuilder();
          for (RecordChangeEvent<SourceRecord> e : batch) {
            SourceRecord r = e.record();
            byte[] k = keys.fromConnectData(r.topic(), r.keySchema(), r.key());
            byte[] v = values.fromConnectData(r.topic(), r.valueSchema(), r.value());
            sb.append("{\"topic\":\"").append(r.topic()).append("\",\"key\":").append(k == null ? "null" : "\"" + b64.encodeToString(k) + "\"")
                .append(",\"value\":").append(v == null ? "null" : "\"" + b64.encodeToString(v) + "\"").append(",\"headers\":[");
            boolean first = true;
            for (Header h : r.headers()) {
              byte[] hv = headers.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value());
              sb.append(first ? "" : ",").append("[\"").append(b64.encodeToString(h.key().getBytes(StandardCharsets.UTF_8))).append("\",")
                  .append(hv == null ? "null" : "\"" + b64.encodeToString(hv) + "\"").append(']');
              first = false;
            }
            sb.append("]}\n");
            committer.markProcessed(e);
          }
          out.print(sb);
          out.flush();
          committer.markBatchFinished();
        })
        .using((success, message, error) -> {
          if (!success) {
            System.err.println("ENGINE FAILED: " + message + (error != null ? " " + error : ""));
            if (error != null) error.printStackTrace();
            System.exit(2);
          }
        })
        .build();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    executor.execute(engine);
    System.err.println("ENGINE STARTED");
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = stdin.readLine()) != null && !line.equals("stop")) {
      // wait for the test to finish its workload
    }
    engine.close();
    executor.shutdown();
    out.flush();
    System.exit(0);
  }
}
