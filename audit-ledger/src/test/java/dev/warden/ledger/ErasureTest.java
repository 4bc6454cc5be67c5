package dev.warden.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.ledger.verify.LedgerVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
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
      SealedBody tampered = new SealedBody(s.subject(), s.iv(), ct);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.unseal(tampered))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not decrypt");
      // Moving a body under another subject is caught too: the subject is authenticated data.
      SealedBody moved = new SealedBody(ledger.subjectRef("dave"), s.iv(), s.ciphertext());
      ledger.seal("dave", new byte[0]);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.unseal(moved))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(List.of(ledger.unseal(s).orElseThrow())).isNotEmpty();
    }
  }
}
