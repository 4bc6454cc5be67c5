package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.verify.LedgerVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crypto-shredding: erasing a subject makes their sealed bodies unreadable while the chain still verifies. */
class ErasureTest {
  @TempDir Path dir;

  @Test
  void erasingASubjectShredsTheirBodiesAndKeepsTheChainIntact() throws Exception {
    byte[] prompt = "my card is 4111 1111 1111 1111".getBytes(StandardCharsets.UTF_8);
    SealedBody sealedAlice;
    SealedBody sealedBob;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      sealedAlice = ledger.seal("alice@example.com", prompt);
      sealedBob = ledger.seal("bob@example.com", "hello".getBytes(StandardCharsets.UTF_8));
      ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestDigest(ledger.digest(prompt))
          .requestBody(sealedAlice).build());
      ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestBody(sealedBob).build());
      assertThat(ledger.unseal(sealedAlice)).hasValueSatisfying(b -> assertThat(b).isEqualTo(prompt));

      Appended tombstone = ledger.erase("alice@example.com", Actor.ofUser("dpo@example.com"), "GDPR Art. 17 request 42");

      assertThat(ledger.unseal(sealedAlice)).isEmpty();
      assertThat(ledger.unseal(sealedBob)).isPresent();
      LedgerEntry t = LedgerReader.readAll(dir).get((int) tombstone.seq());
      assertThat(t.entryKind()).contains(EntryKind.ERASURE);
      assertThat(t.subject()).isEqualTo(sealedAlice.subject()).isEqualTo(ledger.subjectRef("alice@example.com"));
      assertThat(t.attrs()).containsEntry("reason", "GDPR Art. 17 request 42");
    }
    // The sealed body read back from the ledger is the same ciphertext, and stays unreadable after a restart.
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      SealedBody fromLedger = LedgerReader.readAll(dir).get(0).requestBody();
      assertThat(fromLedger.ciphertext()).isEqualTo(sealedAlice.ciphertext());
      assertThat(ledger.unseal(fromLedger)).isEmpty();
    }
    assertThat(LedgerVerifier.verify(dir).summary()).startsWith("OK 3 entries");
    // Neither the subject id nor the body appears anywhere in the ledger directory.
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(text).as(f.toString()).doesNotContain("alice").doesNotContain("4111");
      }
    }
  }

  @Test
  void aTamperedCiphertextDoesNotDecryptSilently() {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      SealedBody s = ledger.seal("carol", "secret".getBytes(StandardCharsets.UTF_8));
      byte[] ct = s.ciphertext().clone();
      ct[0] ^= 1;
      SealedBody tampered = new SealedBody(s.subject(), s.iv(), ct, s.epoch());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.unseal(tampered))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not decrypt");
      // Moving a body under another subject is caught too: the subject is authenticated data.
      SealedBody moved = new SealedBody(ledger.subjectRef("dave"), s.iv(), s.ciphertext(), s.epoch());
      ledger.seal("dave", new byte[0]);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.unseal(moved))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(List.of(ledger.unseal(s).orElseThrow())).isNotEmpty();
    }
  }

  @Test
  void bodiesAreSealedUnderADayKeyNamedInTheJson() throws Exception {
    TestClock clock = TestClock.at("2026-11-25T23:59:59Z");
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).clock(clock).build())) {
      SealedBody s = ledger.seal("alice@example.com", "hi".getBytes(StandardCharsets.UTF_8));
      ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestBody(s).build());
      assertThat(s.epoch()).isEqualTo(LocalDate.parse("2026-11-25"));
      assertThat(dir.resolve("keys/subjects/2026-11-25/" + s.subject() + ".key")).isRegularFile();
      assertThat(LedgerReader.readAll(dir).get(0).lineAsString())
          .contains("\"request_body\":{\"alg\":\"A256GCM\",\"ct\":\"")
          .contains("\"epoch\":\"2026-11-25\",\"iv\":\"");
      clock.set("2026-11-26T00:00:00Z"); // a new UTC day, a new key
      SealedBody next = ledger.seal("alice@example.com", "hi".getBytes(StandardCharsets.UTF_8));
      assertThat(next.epoch()).isEqualTo(LocalDate.parse("2026-11-26"));
      assertThat(dir.resolve("keys/subjects/2026-11-26/" + s.subject() + ".key")).isRegularFile();
      assertThat(ledger.unseal(s)).hasValueSatisfying(b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("hi"));
      assertThat(ledger.unseal(next)).isPresent();
    }
  }

  @Test
  void erasingASubjectDeletesItsKeysOfEveryDayAndItsOldKey() throws Exception {
    TestClock clock = TestClock.at("2026-01-01T12:00:00Z");
    List<SealedBody> alice = new ArrayList<>();
    SealedBody bob;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).clock(clock).build())) {
      String aliceRef = ledger.subjectRef("alice");
      alice.add(sealInOldFormat(aliceRef, "from before day keys"));
      for (int day = 0; day < 3; day++) {
        alice.add(ledger.seal("alice", ("day " + day).getBytes(StandardCharsets.UTF_8)));
        clock.advance(Duration.ofDays(1));
      }
      bob = ledger.seal("bob", "bob's".getBytes(StandardCharsets.UTF_8));
      assertThat(keyFilesOf(aliceRef)).hasSize(4);
      for (SealedBody b : alice) {
        assertThat(ledger.unseal(b)).as(String.valueOf(b.epoch())).isPresent();
      }

      Appended tombstone = ledger.erase("alice", Actor.ofUser("dpo"), "request 7");

      assertThat(keyFilesOf(aliceRef)).isEmpty();
      for (SealedBody b : alice) {
        assertThat(ledger.unseal(b)).as(String.valueOf(b.epoch())).isEmpty();
      }
      assertThat(ledger.unseal(bob)).isPresent();
      assertThat(LedgerReader.readAll(dir).get((int) tombstone.seq()).subject()).isEqualTo(aliceRef);
      // A subject may come back after an erasure, even the same day: new bodies get a new key and are readable,
      // while the body sealed earlier that day reads as erased, not as tampered with.
      clock.advance(Duration.ofDays(-1));
      SealedBody later = ledger.seal("alice", "new".getBytes(StandardCharsets.UTF_8));
      assertThat(later.epoch()).isEqualTo(alice.get(3).epoch());
      assertThat(ledger.unseal(later)).isPresent();
      assertThat(ledger.unseal(alice.get(3))).isEmpty();
    }
    assertThat(LedgerVerifier.verify(dir).ok()).isTrue();
  }

  @Test
  void bodiesInTheFormatWithoutDaysAreStillReadable() throws Exception {
    String ref;
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      ref = ledger.subjectRef("carol");
      SealedBody old = sealInOldFormat(ref, "written by an earlier version");
      ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestBody(old).build());
    }
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build())) {
      LedgerEntry e = LedgerReader.readAll(dir).get(0);
      assertThat(e.lineAsString()).doesNotContain("epoch");
      SealedBody fromLedger = e.requestBody();
      assertThat(fromLedger.epoch()).isNull();
      assertThat(ledger.unseal(fromLedger)).hasValueSatisfying(
          b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("written by an earlier version"));
      ledger.erase("carol", null, null);
      assertThat(ledger.unseal(fromLedger)).isEmpty();
    }
  }

  @Test
  void editingTheEpochFailsLoudly() throws Exception {
    TestClock clock = TestClock.at("2026-05-01T08:00:00Z");
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).clock(clock).build())) {
      SealedBody mayFirst = ledger.seal("erin", "first".getBytes(StandardCharsets.UTF_8));
      ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestBody(mayFirst).build());
      clock.set("2026-05-02T08:00:00Z");
      ledger.seal("erin", "second".getBytes(StandardCharsets.UTF_8));

      // Moved to a day the subject has a key for: the day is authenticated data, so it does not decrypt.
      assertThatThrownBy(() -> ledger.unseal(withEpoch(mayFirst, "2026-05-02")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not decrypt");
      // Moved to a day the subject has no key for, which neither expired nor was erased.
      assertThatThrownBy(() -> ledger.unseal(withEpoch(mayFirst, "2026-04-20")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("names epoch 2026-04-20")
          .hasMessageContaining("has no key for that day");
      assertThatThrownBy(() -> withEpoch(mayFirst, "2026-5-1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("sealed body epoch \"2026-5-1\" (expected: a UTC day, yyyy-mm-dd)");
      assertThat(ledger.unseal(withEpoch(mayFirst, "2026-05-01"))).isPresent();
    }
    // And the edit itself, made in the ledger file, breaks the chain.
    Path segment = dir.resolve("segment-000001.jsonl");
    Files.writeString(segment, Files.readString(segment).replace("2026-05-01\",\"iv", "2026-05-02\",\"iv"));
    assertThat(LedgerVerifier.verify(dir).summary()).startsWith("FAIL at entry 0");
  }

  @Test
  void aSealRacingAnErasureNeverLeavesAnErasedBodyReadable() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build());
        var pool = Executors.newFixedThreadPool(4)) {
      for (int round = 0; round < 20; round++) {
        String subject = "frank-" + round;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong erasureStarted = new AtomicLong(Long.MAX_VALUE);
        AtomicLong clock = new AtomicLong();
        record Sealed(SealedBody body, long finished) {}
        ConcurrentLinkedQueue<Sealed> sealed = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(4);
        List<CompletableFuture<Void>> sealers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          sealers.add(CompletableFuture.runAsync(() -> {
            started.countDown();
            while (!stop.get()) {
              SealedBody b = ledger.seal(subject, "x".getBytes(StandardCharsets.UTF_8));
              sealed.add(new Sealed(b, clock.incrementAndGet()));
            }
          }, pool));
        }
        started.await();
        while (sealed.size() < 20) {
          Thread.onSpinWait();
        }
        erasureStarted.set(clock.incrementAndGet());
        ledger.erase(subject, null, null);
        stop.set(true);
        sealers.forEach(CompletableFuture::join);

        // Every body sealed before the erasure began is unreadable now, whatever the sealers were doing meanwhile.
        List<Sealed> before = sealed.stream().filter(s -> s.finished < erasureStarted.get()).toList();
        assertThat(before).as("round " + round).isNotEmpty();
        for (Sealed s : before) {
          assertThat(ledger.unseal(s.body)).as("round " + round + ", body finished at " + s.finished).isEmpty();
        }
      }
    }
  }

  @Test
  void concurrentFirstSealsOfADayAllUseOneKey() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).build());
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<CompletableFuture<SealedBody>> seals = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        seals.add(CompletableFuture.supplyAsync(
            () -> ledger.seal("grace", "body".getBytes(StandardCharsets.UTF_8)), pool));
      }
      for (CompletableFuture<SealedBody> s : seals) {
        assertThat(ledger.unseal(s.join())).isPresent();
      }
      assertThat(keyFilesOf(ledger.subjectRef("grace"))).hasSize(1);
    }
  }

  /** Seals as the ledger did before keys were kept per day: one key per subject, the subject alone as AAD. */
  private SealedBody sealInOldFormat(String ref, String body) throws Exception {
    byte[] key = new byte[32];
    byte[] iv = new byte[12];
    new SecureRandom().nextBytes(key);
    new SecureRandom().nextBytes(iv);
    Path keyFile = dir.resolve("keys/subjects/" + ref + ".key");
    Files.createDirectories(keyFile.getParent());
    Files.write(keyFile, Base64.getEncoder().encode(key));
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
    c.updateAAD(ref.getBytes(StandardCharsets.US_ASCII));
    return new SealedBody(ref, iv, c.doFinal(body.getBytes(StandardCharsets.UTF_8)), null);
  }

  private static SealedBody withEpoch(SealedBody body, String epoch) {
    Map<String, Object> json = new TreeMap<>(body.toJson());
    json.put("epoch", epoch);
    return SealedBody.fromJson(json);
  }

  private List<Path> keyFilesOf(String ref) throws Exception {
    try (Stream<Path> files = Files.walk(dir.resolve("keys/subjects"))) {
      return files.filter(f -> f.getFileName().toString().startsWith(ref + ".key")).toList();
    }
  }
}
