package dev.warden.ledger.kafka;

import dev.warden.ledger.verify.ChainRecord;
import dev.warden.ledger.verify.ReplicaStreamVerifier;
import dev.warden.ledger.verify.VerificationResult;
import dev.warden.ledger.verify.VerifyOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

/** Reads chains back from a ledger topic written by {@link KafkaLedgerStore}, and verifies them. */
public final class KafkaChainReader {
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private KafkaChainReader() {}

  /**
   * Reads and verifies every chain in {@code topic} (or only {@code options.chain()}), by chain id. Each record goes
   * to its chain's {@link ReplicaStreamVerifier} as it is polled, so the topic is never held in memory.
   */
  public static Map<String, VerificationResult> verifyTopic(String bootstrap, String topic, VerifyOptions options) {
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<String, ReplicaStreamVerifier> chains = new TreeMap<>();
    try {
      forEach(config, topic, options.chain(),
          (chain, record) -> chains.computeIfAbsent(chain, c -> new ReplicaStreamVerifier(c, options)).accept(record));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Map<String, VerificationResult> results = new TreeMap<>();
    chains.forEach((chain, verifier) -> results.put(chain, verifier.finish()));
    return results;
  }

  /**
   * Reads the whole topic from the beginning to its current end, without a consumer group (nothing is committed),
   * and groups the records by chain in partition order. Holds the topic in memory; {@link #verifyTopic} does not.
   *
   * @param chain only this chain, or all when null
   */
  public static Map<String, List<ChainRecord>> read(Map<String, Object> consumerConfig, String topic,
      @Nullable String chain) throws IOException {
    Map<String, List<ChainRecord>> chains = new TreeMap<>();
    forEach(consumerConfig, topic, chain, (id, r) -> chains.computeIfAbsent(id, k -> new ArrayList<>()).add(r));
    return chains;
  }

  /**
   * Passes every ledger record of {@code topic}, from the beginning to its current end, to {@code sink} with its
   * chain id, in partition order; without a consumer group (nothing is committed).
   *
   * @param chain only this chain, or all when null
   */
  public static void forEach(Map<String, Object> consumerConfig, String topic, @Nullable String chain,
      BiConsumer<String, ChainRecord> sink) throws IOException {
    Map<String, Object> c = new HashMap<>(consumerConfig);
    c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Only committed records: an entry the writer sent in a batch that failed must not count.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, READ_TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new IOException("topic " + topic + " does not exist or has no partitions");
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
      Instant deadline = Instant.now().plus(READ_TIMEOUT);
      while (!caughtUp(consumer, end)) {
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("could not read topic " + topic + " to its end within " + READ_TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() == null || r.value() == null) {
            continue; // not a ledger record
          }
          String id = new String(r.key(), StandardCharsets.UTF_8);
          if (chain != null && !chain.equals(id)) {
            continue;
          }
          Header h = r.headers().lastHeader(KafkaLedgerStore.TYPE_HEADER);
          ChainRecord.Type type = h != null && Arrays.equals(h.value(), KafkaLedgerStore.CHECKPOINT)
              ? ChainRecord.Type.CHECKPOINT : ChainRecord.Type.ENTRY;
          sink.accept(id, new ChainRecord(type, r.value()));
        }
      }
    }
  }

  private static boolean caughtUp(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
