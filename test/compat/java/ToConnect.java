import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * The reverse direction: JsonConverter.toConnectData of base64 bytes (stdin lines
 * {"id","config","bytes"}), dumped as a canonical JSON tree ("id<TAB>OK<TAB>dump" or
 * "id<TAB>ERR<TAB>exception class"): schemas as their attributes, values typed by their Java
 * class (schemaless) or schema, doubles and floats as IEEE bits, int64 and decimals as text.
 */
final class ToConnect {
  static final JsonNodeFactory F = JsonNodeFactory.instance;

  static void run(String[][] configs) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonConverter> converters = ConnectData.converters(configs);
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      JsonNode c = mapper.readTree(line);
      out.append(c.get("id").asText()).append('\t');
      try {
        SchemaAndValue sv = converters.get(c.get("config").asInt()).toConnectData("t", Base64.getDecoder().decode(c.get("bytes").asText()));
        ObjectNode dump = F.objectNode();
        dump.set("schema", sv.schema() == null ? F.nullNode() : schema(sv.schema()));
        dump.set("value", sv.schema() == null ? schemaless(sv.value()) : value(sv.schema(), sv.value()));
        out.append("OK\t").append(mapper.writeValueAsString(dump));
      } catch (Exception e) {
        out.append("ERR\t").append(e.getClass().getSimpleName());
      }
      out.append('\n');
    }
    System.out.write(out.toString().getBytes(StandardCharsets.UTF_8));
    System.out.flush();
  }

  static JsonNode schema(Schema s) {
    ObjectNode o = F.objectNode();
    o.put("type", s.type().getName());
    o.put("optional", s.isOptional());
    if (s.name() != null) o.put("name", s.name());
    if (s.version() != null) o.put("version", s.version());
    if (s.doc() != null) o.put("doc", s.doc());
    if (s.parameters() != null) {
      ObjectNode p = o.putObject("parameters");
      s.parameters().forEach(p::put);
    }
    if (s.defaultValue() != null) o.set("default", value(s, s.defaultValue()));
    switch (s.type()) {
      case STRUCT: {
        ArrayNode fields = o.putArray("fields");
        for (Field f : s.fields()) fields.addArray().add(f.name()).add(schema(f.schema()));
        break;
      }
      case ARRAY: o.set("items", schema(s.valueSchema())); break;
      case MAP: o.set("keys", schema(s.keySchema())); o.set("values", schema(s.valueSchema())); break;
      default: break;
    }
    return o;
  }

  static JsonNode value(Schema s, Object v) {
    if (v == null) return F.nullNode();
    if (v instanceof BigDecimal) return F.textNode("decimal " + ((BigDecimal) v).unscaledValue() + " scale " + ((BigDecimal) v).scale());
    if (v instanceof java.util.Date) return F.textNode("date " + ((java.util.Date) v).getTime());
    switch (s.type()) {
      case INT8: case INT16: case INT32: return F.numberNode(((Number) v).intValue());
      case INT64: return F.textNode(v.toString());
      case FLOAT32: return F.textNode("float " + Integer.toHexString(Float.floatToIntBits((Float) v)));
      case FLOAT64: return F.textNode("double " + Long.toHexString(Double.doubleToLongBits((Double) v)));
      case BOOLEAN: return F.booleanNode((Boolean) v);
      case STRING: return F.textNode((String) v);
      case BYTES: return F.textNode("bytes " + Base64.getEncoder().encodeToString(v instanceof ByteBuffer ? toArray((ByteBuffer) v) : (byte[]) v));
      case ARRAY: {
        ArrayNode a = F.arrayNode();
        for (Object e : (List<?>) v) a.add(value(s.valueSchema(), e));
        return a;
      }
      case MAP: {
        ObjectNode o = F.objectNode();
        ArrayNode a = o.putArray("map");
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) a.addArray().add(value(s.keySchema(), e.getKey())).add(value(s.valueSchema(), e.getValue()));
        return o;
      }
      case STRUCT: {
        ArrayNode a = F.arrayNode();
        Struct st = (Struct) v;
        for (Field f : s.fields()) a.addArray().add(f.name()).add(value(f.schema(), st.getWithoutDefault(f.name())));
        return a;
      }
      default: throw new IllegalArgumentException("type " + s.type());
    }
  }

  static JsonNode schemaless(Object v) {
    if (v == null) return F.nullNode();
    ObjectNode o = F.objectNode();
    String tag = v.getClass().getSimpleName();
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) o.put("int", v.toString());
    else if (v instanceof Double) o.put("double", Long.toHexString(Double.doubleToLongBits((Double) v)));
    else if (v instanceof Float) o.put("float", Integer.toHexString(Float.floatToIntBits((Float) v)));
    else if (v instanceof BigDecimal) o.put("decimal", v.toString());
    else if (v instanceof String) o.put("string", (String) v);
    else if (v instanceof Boolean) o.put("boolean", (Boolean) v);
    else if (v instanceof List) {
      ArrayNode a = o.putArray("array");
      for (Object e : (List<?>) v) a.add(schemaless(e));
    } else if (v instanceof Map) {
      ArrayNode a = o.putArray("map");
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) a.addArray().add(schemaless(e.getKey())).add(schemaless(e.getValue()));
    } else o.put("unknown", tag);
    return o;
  }

  private static byte[] toArray(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
