package dev.warden.gateway.audit;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.verify.IncrementalVerifier;
import dev.warden.ledger.verify.LedgerVerifier;
import dev.warden.ledger.verify.Pacer;
import dev.warden.ledger.verify.VerificationResult;
import dev.warden.ledger.verify.VerifyOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Verifies this replica's ledger the way an auditor would (the standalone {@link LedgerVerifier}: every hash, every
 * checkpoint signature) on a schedule and on demand, and keeps the last result for the console, the admin API and
 * the {@code warden_ledger_verification_ok} gauge (1 intact, 0 broken; alert on 0).
 *
 * <p>The ledger grows without end (36 M entries an hour at 5,000 requests a second), so a scheduled run reads only
 * what is new ({@link IncrementalVerifier}: from the start of the segment the last intact run ended in, provided
 * every earlier segment still has the size, inode and change time it had when read), and reads everything once
 * {@code warden.ledger.verify-full-interval} has passed since the last full run (daily by default), after a broken
 * verdict, or when an earlier file changed. {@code POST /admin/api/ledger/verify} reads everything unless asked for
 * {@code mode=incremental}. The {@code warden_ledger_verification_full_age_seconds} gauge says how long ago the last
 * full run finished intact or not.
 *
 * <p>One verification runs at a time on its own thread, and a second request while one runs joins it instead of
 * starting another. Reading the whole chain takes a core for minutes once the ledger is large (an hour at 5,000
 * requests a second is 36 M entries; unpaced, 4 M entries took one core 23 s), so the thread keeps to
 * {@code warden.ledger.verify-cpu-share} of one core ({@link Pacer#cpuShare}) and runs at the lowest CPU priority
 * ({@link LowPriority}: the kernel gives the request threads the cores first). The share still matters where the pod
 * has a CPU limit: time the verifier uses counts against the quota whatever its priority.
 */
@Component
public class LedgerVerification implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(LedgerVerification.class);

    /** What the last (or current) verification found. */
    public sealed interface Status {
        /** No verification has run since start. */
        record Never() implements Status {}

        /** A verification is under way; {@code previous} is the last finished one, if any. */
        record Running(Instant since, @Nullable Finished previous) implements Status {}

        /**
         * A finished verification: {@code full} if it read the ledger from genesis ({@code fullBecause} says why),
         * else from where an earlier intact one ended; {@code entriesRead} is -1 when it found the ledger broken.
         */
        record Finished(Instant checkedAt, Duration took, VerificationResult result, boolean full, long entriesRead,
                        @Nullable String fullBecause) implements Status {}
    }

    /** How a run reads the ledger. */
    public enum Mode {
        /** Everything, from genesis. */
        FULL,
        /** What is new since the last intact run, unless the schedule says a full run is due. */
        SCHEDULED,
        /** What is new since the last intact run (full when there is none, or an earlier file changed). */
        INCREMENTAL
    }

    private final Ledger ledger;
    private final Clock clock;
    private final Duration fullInterval;
    private final IncrementalVerifier verifier;
    private volatile @Nullable Instant lastFull;
    private final ExecutorService runner =
            Executors.newSingleThreadExecutor(LowPriority.daemonThreads("warden-ledger-verify"));
    private final @Nullable ScheduledExecutorService schedule;
    private volatile Status status = new Status.Never();
    private @Nullable CompletableFuture<Status.Finished> running;

    public LedgerVerification(LedgerRecorder recorder, WardenProperties properties, Clock clock, MeterRegistry meters) {
        this.ledger = recorder.ledger();
        this.clock = clock;
        this.fullInterval = properties.ledger().verifyFullInterval();
        // Paced: at full speed a large ledger takes one core for minutes, and the requests served meanwhile would
        // wait for it.
        this.verifier = new IncrementalVerifier(ledger.dir(),
                VerifyOptions.defaults().withPacer(Pacer.cpuShare(properties.ledger().verifyCpuShare())));
        Duration interval = properties.ledger().verifyInterval();
        if (interval.isZero()) {
            schedule = null;
        } else {
            schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                    .name("warden-ledger-verify-schedule").factory());
            // The first run waits (at most ten minutes) so that neither startup nor the first minutes of traffic pay
            // for reading the whole ledger; POST /admin/api/ledger/verify runs one at once.
            schedule.scheduleWithFixedDelay(() -> start(Mode.SCHEDULED), Math.min(600, interval.toSeconds()),
                    interval.toSeconds(), TimeUnit.SECONDS);
        }
        Gauge.builder("warden.ledger.verification.ok", this, v -> switch (v.lastFinished()) {
                    case null -> Double.NaN;
                    case Status.Finished f -> f.result().ok() ? 1 : 0;
                })
                .description("1 when the last full verification of the ledger found it intact, 0 when it found it"
                        + " broken; NaN before the first run")
                .register(meters);
        Gauge.builder("warden.ledger.verification.full.age", this, v -> {
                    Instant at = v.lastFull;
                    return at == null ? Double.NaN : Math.max(0, Duration.between(at, clock.instant()).toSeconds());
                })
                .baseUnit("seconds")
                .description("Seconds since the last verification that read the whole ledger finished; NaN before"
                        + " the first")
                .register(meters);
    }

    public Status status() {
        return status;
    }

    /**
     * Starts a verification unless one is running (then joins it, whatever its mode), and waits up to {@code wait}
     * for it.
     *
     * @return the finished status, or {@link Status.Running} if it takes longer than {@code wait}
     */
    public Status verify(Mode mode, Duration wait) {
        CompletableFuture<Status.Finished> current = start(mode);
        try {
            return current.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return status;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CancellationException) {
                return status; // the gateway is stopping
            }
            throw new IllegalStateException("ledger verification failed to run", e.getCause());
        }
    }

    private synchronized CompletableFuture<Status.Finished> start(Mode mode) {
        if (running != null && !running.isDone()) {
            return running;
        }
        Instant since = clock.instant();
        status = new Status.Running(since, lastFinished());
        running = CompletableFuture.supplyAsync(() -> run(since, mode), runner);
        return running;
    }

    /** Why a scheduled run must read everything, or null if it may go on from the last one. */
    private @Nullable String fullDue() {
        Instant at = lastFull;
        if (fullInterval.isZero()) {
            return "every run is full (verify-full-interval 0)";
        }
        if (at == null) {
            return "the first run since start";
        }
        return clock.instant().isBefore(at.plus(fullInterval)) ? null
                : "verify-full-interval (" + fullInterval + ") passed since the last full run";
    }

    private Status.Finished run(Instant since, Mode mode) {
        VerificationResult result;
        boolean full = true;
        long read = -1;
        String because = null;
        try {
            // Everything appended so far is signed first, so a verification also checks the newest signature.
            ledger.checkpoint();
        } catch (RuntimeException e) {
            log.warn("No checkpoint before verification ({}); verifying what is on disk", e.toString());
        }
        try {
            String due = mode == Mode.FULL ? "asked for" : mode == Mode.SCHEDULED ? fullDue() : null;
            IncrementalVerifier.Reading reading = due != null ? verifier.verifyFully() : verifier.verify();
            result = reading.result();
            full = reading.full();
            read = reading.entriesRead();
            because = due != null ? due : reading.fullBecause(); // null for an incremental reading
            if (full) {
                lastFull = clock.instant();
            }
        } catch (CancellationException e) {
            // Interrupted: the gateway is stopping. Not a verdict on the ledger.
            log.info("Audit ledger verification stopped before it finished");
            Status.Finished previous = previousOf(status);
            status = previous == null ? new Status.Never() : previous;
            throw e;
        } catch (RuntimeException e) {
            because = "the ledger could not be read";
            result = new VerificationResult.Broken(ledger.chainId(), -1, "verification could not read the ledger: "
                    + e.getMessage(), java.util.List.of());
        }
        Status.Finished finished = new Status.Finished(clock.instant(), Duration.between(since, clock.instant()), result,
                full, read, because);
        String how = full ? "full, " + because : "incremental, " + read + " entries read";
        if (!result.ok()) {
            log.error("Audit ledger verification FAILED ({}): {}", how, result.summary());
        } else {
            log.info("Audit ledger verified ({}, {} ms): {}", how, finished.took().toMillis(), result.summary());
        }
        status = finished;
        return finished;
    }

    private Status.@Nullable Finished lastFinished() {
        return previousOf(status);
    }

    private static Status.@Nullable Finished previousOf(Status status) {
        return switch (status) {
            case Status.Never n -> null;
            case Status.Running r -> r.previous();
            case Status.Finished f -> f;
        };
    }

    @Override
    public void destroy() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
        runner.shutdownNow();
    }
}
