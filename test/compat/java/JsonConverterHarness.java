import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Differential oracle: builds Connect schemas and values from JSON descriptors (one case per stdin
 * line: {"id","schema","value"}) and prints, per converter configuration, Kafka's
 * JsonConverter.fromConnectData bytes as base64: "id<TAB>config<TAB>OK<TAB>base64" or
 * "id<TAB>config<TAB>ERR<TAB>exception class". Numbers that JSON cannot carry exactly (int64,
 * float32/float64, decimals) are strings in the descriptors (built by ConnectData).
 */
public class JsonConverterHarness {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String[][] CONFIGS = {{"true", "BASE64", "true"}, {"true", "NUMERIC", "true"}, {"false", "BASE64", "true"}, {"false", "NUMERIC", "true"}, {"true", "BASE64", "false"}, {"false", "NUMERIC", "false"}};

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("toConnect")) {
      ToConnect.run(CONFIGS);
      return;
    }
    List<JsonConverter> converters = ConnectData.converters(CONFIGS);
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
        schema = c.get("schema").isNull() ? null : ConnectData.schema(c.get("schema"));
        value = schema == null ? ConnectData.schemaless(c.get("value")) : ConnectData.value(schema, c.get("value"));
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
}
