import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Differential oracle: builds Connect schemas and values from JSON descriptors (one case per stdin
 * line: {"id","schema","value"}) and prints, per converter configuration, Kafka's
 * JsonConverter.fromConnectData bytes as base64: "id<TAB>config<TAB>OK<TAB>base64" or
 * "id<TAB>config<TAB>ERR<TAB>exception class". Numbers that JSON cannot carry exactly (int64,
 * float32/float64, decimals) are strings in the descriptors.
 */
public class JsonConverterHarness {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String[][] CONFIGS = {{"true", "BASE64", "true"}, {"true", "NUMERIC", "true"}, {"false", "BASE64", "true"}, {"false", "NUMERIC", "true"}, {"true", "BASE64", "false"}, {"false", "NUMERIC", "false"}};

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("toConnect")) {
      ToConnect.run(CONFIGS);
      return;
    }
    List<JsonConverter> converters = new ArrayList<>();
    for (String[] c : CONFIGS) {
      JsonConverter conv = new JsonConverter();
      Map<String, String> props = new HashMap<>();
      props.put("schemas.enable", c[0]);
      props.put("decimal.format", c[1]);
      props.put("replace.null.with.default", c[2]);
      conv.configure(props, false);
      converters.add(conv);
    }
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      JsonNode c = MAPPER.readTree(line);
      String id = c.get("id").asText();
      Schema schema = null;
      Object value;
      try {
        schema = c.get("schema").isNull() ? null : schema(c.get("schema"));
        value = schema == null ? schemaless(c.get("value")) : value(schema, c.get("value"));
      } catch (Exception e) {
        for (int i = 0; i < CONFIGS.length; i++) out.append(id).append('\t').append(i).append("\tERR\tbuild ").append(e).append('\n');
        continue;
      }
      for (int i = 0; i < CONFIGS.length; i++) {
        out.append(id).append('\t').append(i).append('\t');
        try {
          byte[] bytes = converters.get(i).fromConnectData("t", schema, value);
          out.append("OK\t").append(bytes == null ? "null" : Base64.getEncoder().encodeToString(bytes));
        } catch (Exception e) {
          out.append("ERR\t").append(e.getClass().getSimpleName());
        }
        out.append('\n');
      }
    }
    System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
    System.out.flush();
  }

  static Schema schema(JsonNode d) {
    String type = d.get("type").asText();
    SchemaBuilder b;
    switch (type) {
      case "decimal": b = Decimal.builder(d.get("scale").asInt()); break;
      case "date": b = Date.builder(); break;
      case "time": b = Time.builder(); break;
      case "timestamp": b = Timestamp.builder(); break;
      case "int8": b = SchemaBuilder.int8(); break;
      case "int16": b = SchemaBuilder.int16(); break;
      case "int32": b = SchemaBuilder.int32(); break;
      case "int64": b = SchemaBuilder.int64(); break;
      case "float32": b = SchemaBuilder.float32(); break;
      case "float64": b = SchemaBuilder.float64(); break;
      case "boolean": b = SchemaBuilder.bool(); break;
      case "string": b = SchemaBuilder.string(); break;
      case "bytes": b = SchemaBuilder.bytes(); break;
      case "array": b = SchemaBuilder.array(schema(d.get("items"))); break;
      case "map": b = SchemaBuilder.map(schema(d.get("keys")), schema(d.get("values"))); break;
      case "struct":
        b = SchemaBuilder.struct();
        for (JsonNode f : d.get("fields")) b.field(f.get("name").asText(), schema(f.get("schema")));
        break;
      default: throw new IllegalArgumentException("type " + type);
    }
    if (d.path("optional").asBoolean(false)) b.optional();
    if (d.has("name")) b.name(d.get("name").asText());
    if (d.has("version")) b.version(d.get("version").asInt());
    if (d.has("doc")) b.doc(d.get("doc").asText());
    if (d.has("parameters")) {
      Iterator<Map.Entry<String, JsonNode>> it = d.get("parameters").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        b.parameter(e.getKey(), e.getValue().asText());
      }
    }
    if (d.has("default")) b.defaultValue(value(b.build(), d.get("default")));
    return b.build();
  }

  static Object value(Schema s, JsonNode v) {
    if (v == null || v.isNull()) return null;
    if (s.name() != null) {
      switch (s.name()) {
        case Decimal.LOGICAL_NAME: return new BigDecimal(v.asText());
        case Date.LOGICAL_NAME:
        case Time.LOGICAL_NAME:
        case Timestamp.LOGICAL_NAME: return new java.util.Date(Long.parseLong(v.asText()));
        default: break;
      }
    }
    switch (s.type()) {
      case INT8: return (byte) v.asInt();
      case INT16: return (short) v.asInt();
      case INT32: return v.asInt();
      case INT64: return Long.parseLong(v.asText());
      case FLOAT32: return Float.parseFloat(v.asText());
      case FLOAT64: return Double.parseDouble(v.asText());
      case BOOLEAN: return v.asBoolean();
      case STRING: return v.asText();
      case BYTES: return Base64.getDecoder().decode(v.asText());
      case ARRAY: {
        List<Object> list = new ArrayList<>();
        for (JsonNode e : v) list.add(value(s.valueSchema(), e));
        return list;
      }
      case MAP: {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (JsonNode e : v) map.put(value(s.keySchema(), e.get(0)), value(s.valueSchema(), e.get(1)));
        return map;
      }
      case STRUCT: {
        Struct st = new Struct(s);
        for (org.apache.kafka.connect.data.Field f : s.fields()) {
          JsonNode fv = v.get(f.name());
          if (fv != null && !fv.isNull()) st.put(f, value(f.schema(), fv));
        }
        return st;
      }
      default: throw new IllegalArgumentException("type " + s.type());
    }
  }

  /** Schemaless values: {"t":type,"v":value} with the same conventions; maps as [[k,v],…]. */
  static Object schemaless(JsonNode d) {
    if (d.isNull()) return null;
    String t = d.get("t").asText();
    JsonNode v = d.get("v");
    switch (t) {
      case "int32": return v.asInt();
      case "int64": return Long.parseLong(v.asText());
      case "float64": return Double.parseDouble(v.asText());
      case "boolean": return v.asBoolean();
      case "string": return v.asText();
      case "bytes": return Base64.getDecoder().decode(v.asText());
      case "decimal": return new BigDecimal(v.asText());
      case "array": {
        List<Object> list = new ArrayList<>();
        for (JsonNode e : v) list.add(schemaless(e));
        return list;
      }
      case "map": {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (JsonNode e : v) map.put(schemaless(e.get(0)), schemaless(e.get(1)));
        return map;
      }
      default: throw new IllegalArgumentException("schemaless type " + t);
    }
  }
}
