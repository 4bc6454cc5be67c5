package dev.warden.gateway.audit;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.ledger.Ledger;
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

        /** A finished verification. */
        record Finished(Instant checkedAt, Duration took, VerificationResult result) implements Status {}
    }

    private final Ledger ledger;
    private final Clock clock;
    private final double cpuShare;
    private final ExecutorService runner =
            Executors.newSingleThreadExecutor(LowPriority.daemonThreads("warden-ledger-verify"));
    private final @Nullable ScheduledExecutorService schedule;
    private volatile Status status = new Status.Never();
    private @Nullable CompletableFuture<Status.Finished> running;

    public LedgerVerification(LedgerRecorder recorder, WardenProperties properties, Clock clock, MeterRegistry meters) {
        this.ledger = recorder.ledger();
        this.clock = clock;
        this.cpuShare = properties.ledger().verifyCpuShare();
        Duration interval = properties.ledger().verifyInterval();
        if (interval.isZero()) {
            schedule = null;
        } else {
            schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                    .name("warden-ledger-verify-schedule").factory());
            // The first run waits (at most ten minutes) so that neither startup nor the first minutes of traffic pay
            // for reading the whole ledger; POST /admin/api/ledger/verify runs one at once.
            schedule.scheduleWithFixedDelay(this::start, Math.min(600, interval.toSeconds()), interval.toSeconds(),
                    TimeUnit.SECONDS);
        }
        Gauge.builder("warden.ledger.verification.ok", this, v -> switch (v.lastFinished()) {
                    case null -> Double.NaN;
                    case Status.Finished f -> f.result().ok() ? 1 : 0;
                })
                .description("1 when the last full verification of the ledger found it intact, 0 when it found it"
                        + " broken; NaN before the first run")
                .register(meters);
    }

    public Status status() {
        return status;
    }

    /**
     * Starts a verification unless one is running, and waits up to {@code wait} for it.
     *
     * @return the finished status, or {@link Status.Running} if it takes longer than {@code wait}
     */
    public Status verify(Duration wait) {
        CompletableFuture<Status.Finished> current = start();
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

    private synchronized CompletableFuture<Status.Finished> start() {
        if (running != null && !running.isDone()) {
            return running;
        }
        Instant since = clock.instant();
        status = new Status.Running(since, lastFinished());
        running = CompletableFuture.supplyAsync(() -> run(since), runner);
        return running;
    }

    private Status.Finished run(Instant since) {
        VerificationResult result;
        try {
            // Everything appended so far is signed first, so a verification also checks the newest signature.
            ledger.checkpoint();
        } catch (RuntimeException e) {
            log.warn("No checkpoint before verification ({}); verifying what is on disk", e.toString());
        }
        try {
            // Paced: at full speed a large ledger takes one core for minutes, and the requests served meanwhile
            // would wait for it.
            result = LedgerVerifier.verify(ledger.dir(), VerifyOptions.defaults().withPacer(Pacer.cpuShare(cpuShare)));
        } catch (CancellationException e) {
            // Interrupted: the gateway is stopping. Not a verdict on the ledger.
            log.info("Audit ledger verification stopped before it finished");
            Status.Finished previous = previousOf(status);
            status = previous == null ? new Status.Never() : previous;
            throw e;
        } catch (RuntimeException e) {
            result = new VerificationResult.Broken(ledger.chainId(), -1, "verification could not read the ledger: "
                    + e.getMessage(), java.util.List.of());
        }
        Status.Finished finished = new Status.Finished(clock.instant(), Duration.between(since, clock.instant()), result);
        if (!result.ok()) {
            log.error("Audit ledger verification FAILED: {}", result.summary());
        } else {
            log.info("Audit ledger verified: {}", result.summary());
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
