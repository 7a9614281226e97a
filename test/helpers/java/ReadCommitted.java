import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Prints every committed record value of a topic, one per line, as Kafka's own Java consumer with
 * isolation.level=read_committed sees it: args bootstrap-servers topic. With a third argument
 * "summary" it prints instead one line: the record count, the number of distinct keys, and two
 * order-independent digests (sums mod 2^64 of the first 8 bytes of SHA-256), over key, 0, value
 * and over the value alone.
 */
public class ReadCommitted {
  public static void main(String[] args) throws Exception {
    if (args.length > 2 && args[2].equals("summary")) {
      summary(args[0], args[1]);
      return;
    }
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(args[1]).forEach(i -> tps.add(new TopicPartition(i.topic(), i.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.currentTimeMillis() + 60_000;
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.currentTimeMillis() > deadline) throw new RuntimeException("timed out reading " + args[1]);
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) System.out.println(r.value());
      }
    }
  }

  static void summary(String brokers, String topic) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "16777216");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long count = 0;
    long digest = 0;
    long valueDigest = 0;
    Set<ByteBuffer> keys = new HashSet<>();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic).forEach(i -> tps.add(new TopicPartition(i.topic(), i.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.currentTimeMillis() + 300_000;
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.currentTimeMillis() > deadline) throw new RuntimeException("timed out reading " + topic);
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          count++;
          byte[] k = r.key() == null ? new byte[0] : r.key();
          keys.add(ByteBuffer.wrap(k));
          sha.reset();
          sha.update(k);
          sha.update((byte) 0);
          if (r.value() != null) sha.update(r.value());
          digest += ByteBuffer.wrap(sha.digest()).getLong();
          sha.reset();
          if (r.value() != null) sha.update(r.value());
          valueDigest += ByteBuffer.wrap(sha.digest()).getLong();
        }
      }
    }
    System.out.println(count + " " + keys.size() + " " + Long.toUnsignedString(digest, 16) + " " + Long.toUnsignedString(valueDigest, 16));
  }
}
