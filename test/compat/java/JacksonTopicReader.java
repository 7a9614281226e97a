import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonDeserializer;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

/**
 * Reads every record of the topics named on stdin ("topic<TAB>schemas.enable" per line) from the
 * start to the end offsets seen at start, with Kafka's own Java consumer, and parses each part as a
 * Kafka consumer using Jackson would: key and value through Kafka's JsonDeserializer, a strict
 * ObjectMapper (duplicate keys, trailing tokens) and JsonConverter.toConnectData with the topic's
 * schemas.enable; headers as UTF-8 through SimpleHeaderConverter, and with Jackson when they hold a
 * JSON object or array. Prints per topic "COUNT<TAB>topic<TAB>n" and "HEADER<TAB>topic<TAB>key" per header key seen, per failure
 * "FAIL<TAB>topic<TAB>partition<TAB>offset<TAB>part<TAB>message", and per integer beyond 2^53 in a
 * key or value "LONG<TAB>topic<TAB>partition<TAB>offset<TAB>part<TAB>JSON pointer<TAB>Jackson node type<TAB>value".
 */
public final class JacksonTopicReader {
  private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
  private static final JsonDeserializer DESERIALIZER = new JsonDeserializer();
  private static final BigInteger SAFE = BigInteger.valueOf(9007199254740991L);
  private static final ObjectMapper STRICT = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static String oneLine(Throwable e) {
    String m = e.getClass().getSimpleName() + ": " + e.getMessage();
    return m.replace('\n', ' ').replace('\t', ' ');
  }

  private static void longs(JsonNode node, String at, String prefix) {
    if (node.isIntegralNumber()) {
      BigInteger v = node.bigIntegerValue();
      if (v.abs().compareTo(SAFE) > 0) OUT.println(prefix + "\t" + at + "\t" + node.numberType() + "\t" + v);
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        longs(e.getValue(), at + "/" + e.getKey().replace("~", "~0").replace("/", "~1"), prefix);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) longs(node.get(i), at + "/" + i, prefix);
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, Boolean> topics = new java.util.LinkedHashMap<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isEmpty()) continue;
      String[] p = line.split("\t");
      topics.put(p[0], Boolean.parseBoolean(p[1]));
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", args[0]);
    props.put("enable.auto.commit", "false");
    props.put("isolation.level", "read_committed");
    SimpleHeaderConverter headerConverter = new SimpleHeaderConverter();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      for (Map.Entry<String, Boolean> t : topics.entrySet()) {
        String topic = t.getKey();
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", String.valueOf(t.getValue())), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of("schemas.enable", String.valueOf(t.getValue())), false);
        List<TopicPartition> parts = new ArrayList<>();
        for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(60))) parts.add(new TopicPartition(topic, pi.partition()));
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
        Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(parts, Duration.ofSeconds(60)));
        long count = 0;
        java.util.Set<String> headerKeys = new java.util.TreeSet<>();
        long deadline = System.currentTimeMillis() + 120_000;
        while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
          if (System.currentTimeMillis() > deadline) {
            OUT.println("FAIL\t" + topic + "\t-\t-\tread\ttimed out before the end offsets " + end);
            break;
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
            if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) continue;
            count++;
            String where = topic + "\t" + r.partition() + "\t" + r.offset();
            check(where, "key", r.key(), keys, topic);
            check(where, "value", r.value(), values, topic);
            for (Header h : r.headers()) {
              headerKeys.add(h.key());
              String part = "header " + h.key();
              try {
                String text = h.value() == null ? null : StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(h.value())).toString();
                headerConverter.toConnectHeader(topic, h.key(), h.value());
                if (text != null && (text.startsWith("{") || text.startsWith("["))) STRICT.readTree(h.value());
              } catch (RuntimeException | java.io.IOException e) {
                OUT.println("FAIL\t" + where + "\t" + part + "\t" + oneLine(e));
              }
            }
          }
        }
        OUT.println("COUNT\t" + topic + "\t" + count);
        for (String k : headerKeys) OUT.println("HEADER\t" + topic + "\t" + k);
        OUT.flush();
      }
    }
    OUT.flush();
  }

  private static void check(String where, String part, byte[] bytes, JsonConverter converter, String topic) {
    if (bytes == null) return;
    try {
      DESERIALIZER.deserialize(topic, bytes);
      JsonNode tree = STRICT.readTree(bytes);
      longs(tree, "", "LONG\t" + where + "\t" + part);
      converter.toConnectData(topic, bytes);
    } catch (RuntimeException | java.io.IOException e) {
      OUT.println("FAIL\t" + where + "\t" + part + "\t" + oneLine(e));
    }
  }
}
