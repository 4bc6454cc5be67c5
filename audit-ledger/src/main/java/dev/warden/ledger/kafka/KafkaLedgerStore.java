package dev.warden.ledger.kafka;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.ChainRules;
import dev.warden.ledger.store.LedgerStore;
import dev.warden.ledger.verify.ChainRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jspecify.annotations.Nullable;

/**
 * Replicates a chain to a Kafka topic: every entry line and checkpoint line becomes one record keyed by the chain
 * id, so a chain lives in one partition, in order, and a fleet of gateway replicas (one chain each) shares one
 * topic. Used as {@link dev.warden.ledger.LedgerOptions#replica()}; {@link #sync()} returns only when every record
 * sent is acknowledged by all in-sync replicas.
 *
 * <p>The producer is idempotent with {@code acks=all}: a retried send cannot duplicate or reorder records, which
 * the verifier would otherwise report as a broken chain. A record's type is in the header {@value #TYPE_HEADER}
 * ({@code entry} or {@code checkpoint}). {@link KafkaChainReader} reads chains back.
 */
public final class KafkaLedgerStore implements LedgerStore {
  public static final String TYPE_HEADER = "warden-ledger-type";
  static final byte[] ENTRY = "entry".getBytes(StandardCharsets.US_ASCII);
  static final byte[] CHECKPOINT = "checkpoint".getBytes(StandardCharsets.US_ASCII);

  private final Map<String, Object> config;
  private final String topic;
  private @Nullable KafkaProducer<byte[], byte[]> producer;
  private byte[] key = new byte[0];
  private @Nullable String chain;
  private final List<Future<RecordMetadata>> unacknowledged = new ArrayList<>();

  /**
   * @param producerConfig Kafka producer settings ({@code bootstrap.servers}, security); the settings that the
   *     ledger's guarantees rest on (serializers, idempotence, {@code acks=all}) are set here and cannot be
   *     overridden
   */
  public KafkaLedgerStore(Map<String, Object> producerConfig, String topic) {
    requireNonNull(producerConfig, "producerConfig");
    this.topic = requireNonNull(topic, "topic");
    if (!producerConfig.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException("producerConfig lacks " + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    Map<String, Object> c = new HashMap<>(producerConfig);
    c.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    c.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    c.put(ProducerConfig.ACKS_CONFIG, "all");
    c.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5); // the most idempotence keeps ordered
    c.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 1);
    c.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    c.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    c.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    this.config = Map.copyOf(c);
  }

  public static KafkaLedgerStore create(String bootstrapServers, String topic) {
    return new KafkaLedgerStore(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
  }

  @Override
  public Recovery open(String chain) {
    this.chain = ChainRules.requireValidChainId(chain);
    this.key = chain.getBytes(StandardCharsets.UTF_8);
    this.producer = new KafkaProducer<>(config);
    return Recovery.clean();
  }

  @Override
  public void write(List<byte[]> lines) throws IOException {
    KafkaProducer<byte[], byte[]> p = requireOpen();
    for (byte[] line : lines) {
      unacknowledged.add(p.send(record(line, ENTRY)));
    }
  }

  private ProducerRecord<byte[], byte[]> record(byte[] line, byte[] type) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(TYPE_HEADER, type);
    return new ProducerRecord<>(topic, null, key, line, headers);
  }

  @Override
  public void sync() throws IOException {
    requireOpen().flush();
    try {
      for (Future<RecordMetadata> f : unacknowledged) {
        f.get(); // flush() returned, so these are done; get() surfaces a failed send
      }
    } catch (ExecutionException e) {
      throw new IOException("Kafka did not acknowledge a ledger record on " + topic + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for Kafka acknowledgements", e);
    } finally {
      unacknowledged.clear();
    }
  }

  @Override
  public void writeCheckpoint(byte[] line) throws IOException {
    unacknowledged.add(requireOpen().send(record(line, CHECKPOINT)));
    sync();
  }

  @Override
  public void readEntries(String chain, LineSink sink) throws IOException {
    read(chain, ChainRecord.Type.ENTRY, sink);
  }

  @Override
  public void readCheckpoints(String chain, LineSink sink) throws IOException {
    read(chain, ChainRecord.Type.CHECKPOINT, sink);
  }

  private void read(String chain, ChainRecord.Type type, LineSink sink) throws IOException {
    Map<String, Object> consumerConfig = new HashMap<>();
    consumerConfig.put("bootstrap.servers", config.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
    List<ChainRecord> records = KafkaChainReader.read(consumerConfig, topic, chain).getOrDefault(chain, List.of());
    for (ChainRecord r : records) {
      if (r.type() == type) {
        sink.line(r.line(), 0, r.line().length);
      }
    }
  }

  private KafkaProducer<byte[], byte[]> requireOpen() {
    KafkaProducer<byte[], byte[]> p = producer;
    if (p == null) {
      throw new IllegalStateException("KafkaLedgerStore for topic " + topic + " is not open");
    }
    return p;
  }

  @Override
  public void close() {
    KafkaProducer<byte[], byte[]> p = producer;
    producer = null;
    if (p != null) {
      p.close(Duration.ofSeconds(10));
    }
  }

  @Override
  public String toString() {
    return "KafkaLedgerStore[topic=" + topic + ", chain=" + chain + "]";
  }
}
