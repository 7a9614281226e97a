import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
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
 * Connect schemas and values built from the JSON descriptors the TypeScript cases write (see
 * test/compat/json-converter-cases.ts): numbers JSON cannot carry exactly (int64, float32/float64,
 * decimals, dates) are strings; maps are [[k,v],…]; schemaless values are {"t":type,"v":value}.
 * Shared by the JsonConverter and transform harnesses.
 */
final class ConnectData {
  private ConnectData() {}

  /** JsonConverters configured with {schemas.enable, decimal.format, replace.null.with.default} triples. */
  static List<JsonConverter> converters(String[][] configs) {
    List<JsonConverter> converters = new ArrayList<>();
    for (String[] c : configs) {
      JsonConverter conv = new JsonConverter();
      Map<String, String> props = new HashMap<>();
      props.put("schemas.enable", c[0]);
      props.put("decimal.format", c[1]);
      props.put("replace.null.with.default", c[2]);
      conv.configure(props, false);
      converters.add(conv);
    }
    return converters;
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
