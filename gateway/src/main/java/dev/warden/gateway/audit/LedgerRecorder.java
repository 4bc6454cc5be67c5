package dev.warden.gateway.audit;

import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.ledger.Appended;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerUnavailableException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Appends to the ledger with metrics; a ledger that has failed closed turns into a 503 for the caller. */
public final class LedgerRecorder {
    private static final Logger log = LoggerFactory.getLogger(LedgerRecorder.class);

    private final Ledger ledger;
    private final Timer appendTimer;
    private final MeterRegistry meters;

    public LedgerRecorder(Ledger ledger, MeterRegistry meters) {
        this.ledger = ledger;
        this.meters = meters;
        this.appendTimer = Timer.builder("warden.ledger.append").description("Durable append latency (group commit)")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(2)).register(meters);
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Appends and waits until durable; a failed ledger refuses with 503 (fail closed). */
    public Appended appendOrThrow(EntryDraft draft) {
        long start = System.nanoTime();
        try {
            return ledger.append(draft);
        } catch (LedgerUnavailableException e) {
            meters.counter("warden.ledger.failures").increment();
            throw new GatewayException(ErrorKind.UNAVAILABLE, "The audit ledger is unavailable, so no request can be "
                    + "recorded; Warden refuses requests until it is repaired");
        } finally {
            appendTimer.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** For entries recorded after the caller already has its answer: a failure is logged and counted, not thrown. */
    public @Nullable Appended appendQuietly(EntryDraft draft) {
        try {
            return appendOrThrow(draft);
        } catch (GatewayException | IllegalArgumentException e) {
            log.error("audit entry not recorded: {}", e.getMessage());
            return null;
        }
    }

    /**
     * For entries recorded after the outcome is decided (responses, rejections): written with the next group commit
     * without making the caller wait, and made durable with the next request entry's fsync (or after
     * {@code warden.ledger.lazy-sync-delay}), so they cost no fsync of their own. The request entry, written before
     * dispatch, is the one that must be durable first; a crash can lose at most the outcome entries of requests in
     * flight and of the last few milliseconds. Not timed: the append-latency metric is what callers wait for.
     */
    public void appendLater(EntryDraft draft) {
        try {
            ledger.appendLazily(draft).whenComplete((appended, failure) -> {
                if (failure != null) {
                    meters.counter("warden.ledger.failures").increment();
                    log.error("audit entry not recorded: {}", failure.toString());
                }
            });
        } catch (LedgerUnavailableException | IllegalArgumentException e) {
            meters.counter("warden.ledger.failures").increment();
            log.error("audit entry not recorded: {}", e.getMessage());
        }
    }

    public String digest(byte[] body) {
        return ledger.digest(body);
    }
}
