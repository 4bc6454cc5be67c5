package dev.warden.ledger.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.TestEntries;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifierPacingTest {
  private static final int ENTRIES = 40;

  @TempDir Path dir;

  @BeforeEach
  void writeLedger() {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-1")
        .maxSegmentBytes(4096).checkpointEvery(7).build())) {
      for (int i = 0; i < ENTRIES; i++) {
        ledger.append(TestEntries.draft(ledger, i));
      }
    }
  }

  @Test
  void thePacerIsAskedBeforeEveryEntry() {
    AtomicInteger asked = new AtomicInteger();

    VerificationResult r = LedgerVerifier.verify(dir, VerifyOptions.defaults().withPacer(asked::incrementAndGet));

    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(asked).hasValue(ENTRIES);
  }

  @Test
  void aPacedVerificationFindsWhatAnUnpacedOneFinds() {
    VerificationResult paced = LedgerVerifier.verify(dir, VerifyOptions.defaults().withPacer(Pacer.cpuShare(0.5)));

    assertThat(paced.summary()).isEqualTo(LedgerVerifier.verify(dir).summary()).startsWith("OK " + ENTRIES + " entries");
  }

  @Test
  void anInterruptedPacerStopsTheVerificationAndKeepsTheInterrupt() {
    AtomicInteger asked = new AtomicInteger();
    Pacer interrupted = () -> {
      if (asked.incrementAndGet() == 5) {
        throw new InterruptedException();
      }
    };

    try {
      assertThatThrownBy(() -> LedgerVerifier.verify(dir, VerifyOptions.defaults().withPacer(interrupted)))
          .isInstanceOf(CancellationException.class).hasMessage("ledger verification interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(asked).hasValue(5);
    } finally {
      Thread.interrupted();
    }
  }
}
