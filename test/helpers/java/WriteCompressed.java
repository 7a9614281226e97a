import java.util.Properties;
import org.apache.kafka.clients.producer.*;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes count records (key k<i>, value v<i>-<padding>) with Kafka's own Java producer and the given
 * compression.type: args bootstrap-servers topic compression-type count.
 */
public class WriteCompressed {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, args[2]);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    int count = Integer.parseInt(args[3]);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
      for (int i = 0; i < count; i++) producer.send(new ProducerRecord<>(args[1], 0, "k" + i, "v" + i + "-" + "x".repeat(200)));
      producer.flush();
    }
  }
}
