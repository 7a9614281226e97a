import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * Differential oracle for transforms: one case per stdin line {"id","config","record"}, where
 * config is a connector's transforms/predicates keys and record a Connect record of ConnectData
 * descriptors. The chain is built and applied as Kafka Connect's ConnectorConfig/TransformationStage
 * do (type from transforms.<alias>.type, predicate applied when test() != negate). Prints
 * "id<TAB>OK<TAB>{json}" with the topic, partition, timestamp and the key, value and headers as
 * JsonConverter (schemas.enable=true) bytes (headers also as SimpleHeaderConverter bytes), all
 * base64; {"dropped":true} for a filtered record; or "id<TAB>ERR<TAB>exception". With the argument
 * readHeaders: SimpleHeaderConverter.toConnectHeader of header bytes instead (see readHeaders).
 */
public class TransformsHarness {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  public static void main(String[] args) throws Exception {
    JsonConverter json = new JsonConverter();
    Map<String, String> props = new HashMap<>();
    props.put("schemas.enable", "true");
    json.configure(props, false);
    SimpleHeaderConverter simple = new SimpleHeaderConverter();
    simple.configure(new HashMap<>());
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    if (args.length > 0 && args[0].equals("readHeaders")) {
      readHeaders(in, out, json, simple);
      return;
    }
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      JsonNode c = MAPPER.readTree(line);
      String id = c.get("id").asText();
      ConnectRecord<?> record;
      try {
        record = record(c.get("record"));
      } catch (Exception e) {
        out.println(id + "\tBUILD\t" + oneLine(e));
        continue;
      }
      try {
        ConnectRecord<?> result = applyChain(c.get("config"), record);
        out.println(id + "\tOK\t" + MAPPER.writeValueAsString(dump(result, json, simple)));
      } catch (Throwable e) {
        out.println(id + "\tERR\t" + oneLine(e));
      }
    }
    out.flush();
  }

  /** SimpleHeaderConverter.toConnectHeader of each {"id","bytes"} line, written back as JsonConverter bytes. */
  static void readHeaders(BufferedReader in, PrintStream out, JsonConverter json, SimpleHeaderConverter simple) throws Exception {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      JsonNode c = MAPPER.readTree(line);
      String id = c.get("id").asText();
      try {
        org.apache.kafka.connect.data.SchemaAndValue sv = simple.toConnectHeader("t", "h", Base64.getDecoder().decode(c.get("bytes").asText()));
        // Values.parseString gives null (not a SchemaAndValue) for the text "null".
        out.println(id + "\tOK\t" + (sv == null ? null : b64(json.fromConnectData("t", sv.schema(), sv.value()))));
      } catch (Throwable e) {
        out.println(id + "\tERR\t" + oneLine(e));
      }
    }
    out.flush();
  }

  static String oneLine(Throwable e) {
    return (e.getClass().getName() + ": " + e.getMessage()).replace('\n', ' ').replace('\t', ' ');
  }

  static Map<String, String> withPrefix(JsonNode config, String prefix) {
    Map<String, String> out = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = config.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith(prefix)) out.put(e.getKey().substring(prefix.length()), e.getValue().asText());
    }
    return out;
  }

  static List<String> aliases(JsonNode config, String key) {
    List<String> out = new ArrayList<>();
    if (!config.has(key)) return out;
    for (String s : config.get(key).asText().split(",")) if (!s.trim().isEmpty()) out.add(s.trim());
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static ConnectRecord<?> applyChain(JsonNode config, ConnectRecord<?> record) throws Exception {
    Map<String, Predicate> predicates = new HashMap<>();
    for (String alias : aliases(config, "predicates")) {
      Map<String, String> p = withPrefix(config, "predicates." + alias + ".");
      Predicate predicate = (Predicate) Class.forName(p.get("type")).getDeclaredConstructor().newInstance();
      predicate.configure(p);
      predicates.put(alias, predicate);
    }
    ConnectRecord current = record;
    for (String alias : aliases(config, "transforms")) {
      Map<String, String> p = withPrefix(config, "transforms." + alias + ".");
      String predicateAlias = p.remove("predicate");
      boolean negate = Boolean.parseBoolean(p.remove("negate"));
      Transformation t = (Transformation) Class.forName(p.get("type")).getDeclaredConstructor().newInstance();
      t.configure(p);
      Predicate predicate = predicateAlias == null ? null : predicates.get(predicateAlias);
      if (predicateAlias != null && predicate == null) throw new IllegalArgumentException("unknown predicate " + predicateAlias);
      if (predicate == null || negate ^ predicate.test(current)) current = t.apply(current);
      if (current == null) return null;
    }
    return current;
  }

  static Schema schemaOf(JsonNode d) {
    return d == null || d.isNull() ? null : ConnectData.schema(d);
  }

  static Object valueOf(Schema s, JsonNode v) {
    if (v == null || v.isNull()) return null;
    return s == null ? ConnectData.schemaless(v) : ConnectData.value(s, v);
  }

  static ConnectRecord<?> record(JsonNode r) {
    String topic = r.get("topic").asText();
    Integer partition = r.path("partition").isNull() || r.path("partition").isMissingNode() ? null : r.get("partition").asInt();
    Long timestamp = r.path("timestamp").isNull() || r.path("timestamp").isMissingNode() ? null : Long.parseLong(r.get("timestamp").asText());
    Schema keySchema = schemaOf(r.get("keySchema"));
    Object key = valueOf(keySchema, r.get("key"));
    Schema valueSchema = schemaOf(r.get("valueSchema"));
    Object value = valueOf(valueSchema, r.get("value"));
    ConnectHeaders headers = new ConnectHeaders();
    if (r.has("headers")) {
      for (JsonNode h : r.get("headers")) {
        Schema hs = schemaOf(h.get("schema"));
        headers.add(h.get("key").asText(), valueOf(hs, h.get("value")), hs);
      }
    }
    if ("sink".equals(r.path("kind").asText())) {
      return new SinkRecord(topic, partition == null ? 0 : partition, keySchema, key, valueSchema, value, Long.parseLong(r.path("offset").asText("0")), timestamp, org.apache.kafka.common.record.TimestampType.CREATE_TIME, headers);
    }
    return new SourceRecord(null, null, topic, partition, keySchema, key, valueSchema, value, timestamp, headers);
  }

  static String b64(byte[] bytes) {
    return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
  }

  static JsonNode dump(ConnectRecord<?> r, JsonConverter json, SimpleHeaderConverter simple) {
    ObjectNode o = F.objectNode();
    if (r == null) return o.put("dropped", true);
    o.put("topic", r.topic());
    if (r.kafkaPartition() == null) o.putNull("partition");
    else o.put("partition", r.kafkaPartition());
    o.put("timestamp", r.timestamp() == null ? null : r.timestamp().toString());
    o.put("key", b64(json.fromConnectData(r.topic(), r.keySchema(), r.key())));
    o.put("value", b64(json.fromConnectData(r.topic(), r.valueSchema(), r.value())));
    ArrayNode headers = o.putArray("headers");
    for (Header h : r.headers()) {
      ArrayNode a = headers.addArray().add(h.key());
      try {
        a.add(b64(json.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value())));
      } catch (Exception e) {
        a.add("ERR " + e.getClass().getSimpleName());
      }
      try {
        a.add(b64(simple.fromConnectHeader(r.topic(), h.key(), h.schema(), h.value())));
      } catch (Exception e) {
        a.add("ERR " + e.getClass().getSimpleName());
      }
    }
    return o;
  }
}
