package dev.warden.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.warden.gateway.config.WardenConfiguration;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.store.SegmentFileStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/**
 * The gateway's own verification: scheduled runs read what is new, the whole ledger once a day (or as configured),
 * and on demand the whole ledger unless asked otherwise.
 */
class LedgerVerificationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir Path dir;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-06T10:00:00Z"));
    private final Clock clock = mock(Clock.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Ledger ledger;
    private LedgerVerification verification;
    private int appended;

    @BeforeEach
    void open() {
        when(clock.instant()).thenAnswer(call -> now.get());
        when(clock.getZone()).thenReturn(ZoneOffset.UTC);
        // Small segments, so a few hundred entries make many files and an incremental run reads only the last ones.
        ledger = Ledger.open(LedgerOptions.builder().dir(dir).chainId("gw-test").maxSegmentBytes(4096)
                .checkpointEvery(10).build());
        verification = verificationWith("warden.ledger.verify-interval", "0");
    }

    @AfterEach
    void close() {
        verification.destroy();
        ledger.close();
    }

    private LedgerVerification verificationWith(String... pairs) {
        MockEnvironment environment = new MockEnvironment();
        for (int i = 0; i < pairs.length; i += 2) {
            environment.setProperty(pairs[i], pairs[i + 1]);
        }
        WardenProperties properties = new WardenConfiguration().wardenProperties(environment);
        return new LedgerVerification(new LedgerRecorder(ledger, meters), properties, clock, meters);
    }

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            ledger.append(EntryDraft.builder().kind(EntryKind.REQUEST).requestId("r" + appended++).model("demo")
                    .build());
        }
    }

    private LedgerVerification.Status.Finished run(LedgerVerification.Mode mode) {
        LedgerVerification.Status status = verification.verify(mode, WAIT);
        assertThat(status).isInstanceOf(LedgerVerification.Status.Finished.class);
        return (LedgerVerification.Status.Finished) status;
    }

    @Test
    void scheduledRunsReadWhatIsNewAndTheWholeLedgerOnceADay() throws IOException {
        append(300);
        assertThat(SegmentFileStore.segments(dir).size()).isGreaterThan(5);

        LedgerVerification.Status.Finished first = run(LedgerVerification.Mode.SCHEDULED);
        assertThat(first.result().ok()).as(first.result().summary()).isTrue();
        assertThat(first.full()).isTrue();
        assertThat(first.fullBecause()).isEqualTo("the first run since start");
        assertThat(meters.get("warden.ledger.verification.full.age").gauge().value()).isZero();

        append(20);
        now.updateAndGet(t -> t.plus(Duration.ofHours(1)));
        LedgerVerification.Status.Finished second = run(LedgerVerification.Mode.SCHEDULED);
        assertThat(second.result().ok()).as(second.result().summary()).isTrue();
        assertThat(second.full()).isFalse();
        assertThat(second.fullBecause()).isNull();
        assertThat(second.entriesRead()).isGreaterThanOrEqualTo(20).isLessThan(100);
        assertThat(second.result().summary()).startsWith("OK " + (ledger.head().size()) + " entries");
        assertThat(meters.get("warden.ledger.verification.full.age").gauge().value()).isEqualTo(3600);

        now.updateAndGet(t -> t.plus(Duration.ofHours(23)));
        LedgerVerification.Status.Finished daily = run(LedgerVerification.Mode.SCHEDULED);
        assertThat(daily.full()).isTrue();
        assertThat(daily.fullBecause()).isEqualTo("verify-full-interval (PT24H) passed since the last full run");
        assertThat(daily.entriesRead()).isEqualTo(ledger.head().size());
    }

    @Test
    void onDemandRunsReadEverythingUnlessAskedForIncremental() {
        append(200);
        assertThat(run(LedgerVerification.Mode.FULL).fullBecause()).isEqualTo("asked for");
        append(5);

        LedgerVerification.Status.Finished incremental = run(LedgerVerification.Mode.INCREMENTAL);
        assertThat(incremental.full()).isFalse();
        assertThat(incremental.result().ok()).isTrue();
        LedgerVerification.Status.Finished full = run(LedgerVerification.Mode.FULL);
        assertThat(full.full()).isTrue();
        assertThat(full.entriesRead()).isEqualTo(ledger.head().size());
    }

    @Test
    void aChangedEarlierSegmentIsFoundByTheNextScheduledRun() throws IOException {
        append(300);
        assertThat(run(LedgerVerification.Mode.SCHEDULED).result().ok()).isTrue();
        Path second = SegmentFileStore.segments(dir).get(1);
        String text = Files.readString(second, StandardCharsets.UTF_8);
        Files.writeString(second, text.replaceFirst("\"model\":\"demo\"", "\"model\":\"gpt-5\""),
                StandardCharsets.UTF_8);

        LedgerVerification.Status.Finished next = run(LedgerVerification.Mode.SCHEDULED);

        assertThat(next.full()).isTrue();
        assertThat(next.fullBecause()).startsWith("segment " + second.getFileName() + " changed since it was read");
        assertThat(next.result().ok()).isFalse();
        assertThat(next.result().summary()).startsWith("FAIL at entry ");
        assertThat(meters.get("warden.ledger.verification.ok").gauge().value()).isZero();
    }

    @Test
    void withAFullIntervalOfZeroEveryScheduledRunReadsEverything() {
        verification.destroy();
        verification = verificationWith("warden.ledger.verify-interval", "0", "warden.ledger.verify-full-interval", "0");
        append(50);
        for (int i = 0; i < 2; i++) {
            LedgerVerification.Status.Finished r = run(LedgerVerification.Mode.SCHEDULED);
            assertThat(r.full()).isTrue();
            assertThat(r.fullBecause()).isEqualTo("every run is full (verify-full-interval 0)");
        }
    }

    @Test
    void theFullIntervalIsADayByDefaultAndCannotBeNegative() {
        MockEnvironment environment = new MockEnvironment();
        assertThat(new WardenConfiguration().wardenProperties(environment).ledger().verifyFullInterval())
                .isEqualTo(Duration.ofDays(1));
        environment.setProperty("warden.ledger.verify-full-interval", "-1h");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WardenConfiguration().wardenProperties(environment))
                .hasStackTraceContaining("verify-full-interval: \"PT-1H\" (expected: a duration such as 24h");
    }
}
