package dev.warden.ledger.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.ledger.Appended;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.TestEntries;
import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.verify.ChainRecord;
import dev.warden.ledger.verify.VerificationResult;
import dev.warden.ledger.verify.VerifyCommand;
import dev.warden.ledger.verify.VerifyOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Replication to Kafka through an in-process KRaft broker on loopback. */
class KafkaLedgerStoreTest {
  private static EmbeddedKafkaKraftBroker broker;

  @TempDir Path dir;

  private final SigningKey key = SigningKey.generate();

  @BeforeAll
  static void startBroker() {
    broker = new EmbeddedKafkaKraftBroker(1, 3);
    broker.afterPropertiesSet();
  }

  @AfterAll
  static void stopBroker() {
    broker.destroy();
  }

  private Ledger open(Path ledgerDir, String chain, String topic) {
    return Ledger.open(LedgerOptions.builder().dir(ledgerDir).chainId(chain).signingKey(key)
        .replica(KafkaLedgerStore.create(broker.getBrokersAsString(), topic)).build());
  }

  private VerifyOptions trustingKey() {
    return VerifyOptions.withKeys(PublicKeyRing.empty().add(key.keyId(), key.publicKey()));
  }

  @Test
  void everyEntryAndCheckpointIsReplicatedAndTheChainVerifiesFromTheTopic() throws Exception {
    broker.addTopics("ledger-roundtrip");
    Appended last = null;
    try (Ledger ledger = open(dir, "gw-1", "ledger-roundtrip")) {
      for (int i = 0; i < 50; i++) {
        last = ledger.append(TestEntries.draft(ledger, i));
      }
    }
    Map<String, VerificationResult> results =
        KafkaChainReader.verifyTopic(broker.getBrokersAsString(), "ledger-roundtrip", trustingKey());
    assertThat(results).containsOnlyKeys("gw-1");
    assertThat(results.get("gw-1").summary()).isEqualTo("OK 50 entries, head " + last.hash());

    // Byte for byte the lines of the segment files.
    List<byte[]> fileLines = new ArrayList<>();
    SegmentFileStore.readEntries(dir, (b, off, len) -> fileLines.add(Arrays.copyOfRange(b, off, off + len)));
    List<ChainRecord> records = KafkaChainReader.read(Map.of("bootstrap.servers", broker.getBrokersAsString()),
        "ledger-roundtrip", "gw-1").get("gw-1");
    List<byte[]> topicEntries = records.stream().filter(r -> r.type() == ChainRecord.Type.ENTRY)
        .map(ChainRecord::line).toList();
    assertThat(topicEntries).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(topicEntries.get(i)).isEqualTo(fileLines.get(i));
    }
  }

  @Test
  void twoReplicasWriteTwoChainsToOneTopicAndBothVerify() throws Exception {
    broker.addTopics("ledger-fleet");
    try (Ledger a = open(dir.resolve("a"), "gw-a", "ledger-fleet");
        Ledger b = open(dir.resolve("b"), "gw-b", "ledger-fleet");
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 200; i++) {
        int n = i;
        pool.submit(() -> (n % 3 == 0 ? b : a).append(TestEntries.small(n)));
      }
      pool.shutdown();
      pool.awaitTermination(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(a.head().size() + b.head().size()).isEqualTo(200);
    }
    Map<String, VerificationResult> results =
        KafkaChainReader.verifyTopic(broker.getBrokersAsString(), "ledger-fleet", trustingKey());
    assertThat(results).containsOnlyKeys("gw-a", "gw-b");
    assertThat(results.get("gw-a").summary()).startsWith("OK 133 entries, head ");
    assertThat(results.get("gw-b").summary()).startsWith("OK 67 entries, head ");

    // The same through the command line, with the public key file the ledger wrote.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = VerifyCommand.run(new String[] {"verify", "--kafka", broker.getBrokersAsString(), "--topic",
        "ledger-fleet", "--public-key", dir.resolve("a/keys/" + key.keyId() + ".pub.pem").toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK 133 entries, head ").contains("(chain gw-a)")
        .contains("OK 67 entries, head ").contains("(chain gw-b)");
  }

  @Test
  void aRecordReplayedIntoTheTopicIsCaught() throws Exception {
    broker.addTopics("ledger-tampered");
    try (Ledger ledger = open(dir, "gw-1", "ledger-tampered")) {
      for (int i = 0; i < 5; i++) {
        ledger.append(TestEntries.small(i));
      }
    }
    List<byte[]> lines = new ArrayList<>();
    SegmentFileStore.readEntries(dir, (b, off, len) -> lines.add(Arrays.copyOfRange(b, off, off + len)));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", broker.getBrokersAsString(),
        "key.serializer", ByteArraySerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName()))) {
      ProducerRecord<byte[], byte[]> replay = new ProducerRecord<>("ledger-tampered", "gw-1".getBytes(StandardCharsets.UTF_8),
          lines.get(2));
      replay.headers().add(KafkaLedgerStore.TYPE_HEADER, "entry".getBytes(StandardCharsets.US_ASCII));
      p.send(replay).get();
    }
    VerificationResult r = KafkaChainReader.verifyTopic(broker.getBrokersAsString(), "ledger-tampered", trustingKey())
        .get("gw-1");
    assertThat(r.summary()).isEqualTo("FAIL at entry 5: seq 2 (expected: 5): duplicated or reordered entry");
  }

  @Test
  void aReplicaAddedLaterStartsFromASignedAnchor() {
    broker.addTopics("ledger-late");
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-1").signingKey(key).build())) {
      for (int i = 0; i < 5; i++) {
        ledger.append(TestEntries.small(i));
      }
    }
    try (Ledger ledger = open(dir, "gw-1", "ledger-late")) {
      for (int i = 5; i < 8; i++) {
        ledger.append(TestEntries.small(i));
      }
    }
    VerificationResult r = KafkaChainReader.verifyTopic(broker.getBrokersAsString(), "ledger-late", trustingKey())
        .get("gw-1");
    assertThat(r.summary()).startsWith("OK 8 entries, head ");
    assertThat(r.notes()).contains("the stream starts at entry 5, anchored by a signed checkpoint");
  }
}
