package dev.warden.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InflightBodyBudgetTest {
    private static final long KIB = 1024;
    /** A thread per task: the common pool has one worker on a 2-core machine, and these tasks block. */
    private static final java.util.concurrent.Executor THREADS = task -> Thread.ofPlatform().daemon().start(task);

    /** A new share asking for {@code bytes} on its own thread; completes with what it holds once admitted. */
    private static CompletableFuture<Long> admitAsync(InflightBodyBudget budget, long bytes) {
        return CompletableFuture.supplyAsync(() -> {
            InflightBodyBudget.Share s = budget.share();
            try {
                s.ensure(bytes);
            } catch (InflightBodyBudget.Exhausted e) {
                throw new AssertionError(e);
            }
            return s.heldBytes();
        }, THREADS);
    }

    @Test
    void sharesGrowWithinTheLimitAndGiveEverythingBackOnClose() throws Exception {
        InflightBodyBudget budget = new InflightBodyBudget(100 * KIB, 50 * KIB, Duration.ZERO);
        InflightBodyBudget.Share a = budget.share();
        InflightBodyBudget.Share b = budget.share();

        a.ensure(4 * KIB);
        a.ensure(40 * KIB); // in all, not in addition
        b.ensure(60 * KIB);

        assertThat(a.heldBytes()).isEqualTo(40 * KIB);
        assertThat(budget.inUseBytes()).isEqualTo(100 * KIB);
        a.close();
        a.close(); // twice is harmless
        assertThat(budget.inUseBytes()).isEqualTo(60 * KIB);
        b.close();
        assertThat(budget.inUseBytes()).isZero();
    }

    @Test
    void aFullBudgetRefusesAfterTheWaitAndNamesWhatIsHeld() throws Exception {
        InflightBodyBudget budget = new InflightBodyBudget(100 * KIB, 50 * KIB, Duration.ofMillis(50));
        InflightBodyBudget.Share held = budget.share();
        held.ensure(80 * KIB);

        InflightBodyBudget.Share late = budget.share();
        assertThatThrownBy(() -> late.ensure(30 * KIB))
                .isInstanceOfSatisfying(InflightBodyBudget.Exhausted.class, e -> {
                    assertThat(e.wanted()).isEqualTo(30 * KIB);
                    assertThat(e.inUse()).isEqualTo(80 * KIB);
                    assertThat(e.limit()).isEqualTo(100 * KIB);
                })
                .hasMessageContaining("81920 of 102400 bytes");
        assertThat(late.heldBytes()).as("a refused share holds nothing").isZero();
        late.ensure(20 * KIB); // what fits is admitted at once
        assertThat(budget.inUseBytes()).isEqualTo(100 * KIB);
    }

    @Test
    void aWaitingShareIsAdmittedWhenRoomIsGivenBack() throws Exception {
        InflightBodyBudget budget = new InflightBodyBudget(100 * KIB, 50 * KIB, Duration.ofSeconds(30));
        InflightBodyBudget.Share held = budget.share();
        held.ensure(90 * KIB);

        CompletableFuture<Long> waiter = admitAsync(budget, 50 * KIB);
        Thread.sleep(100);
        assertThat(waiter).as("no room yet").isNotDone();

        held.close();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isEqualTo(50 * KIB);
    }

    @Test
    void aSmallBodyThatFitsIsNotHeldUpByALargeOneWaitingForRoom() throws Exception {
        InflightBodyBudget budget = new InflightBodyBudget(100 * KIB, 50 * KIB, Duration.ofSeconds(30));
        InflightBodyBudget.Share held = budget.share();
        held.ensure(80 * KIB);
        CompletableFuture<Long> large = admitAsync(budget, 50 * KIB);
        Thread.sleep(100); // the large body is queued for room now

        // A fair semaphore would queue this one behind the large body for up to the 30 s wait.
        CompletableFuture<Long> small = admitAsync(budget, 8 * KIB);
        assertThat(small.get(10, TimeUnit.SECONDS)).isEqualTo(8 * KIB);
        assertThat(large).isNotDone();
        held.close();
        large.get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAnswerWaitsForRoomThenOverdrawsInsteadOfFailingAndBodiesWaitUntilItIsGivenBack() throws Exception {
        InflightBodyBudget budget = new InflightBodyBudget(100 * KIB, 50 * KIB, Duration.ofMillis(50));
        InflightBodyBudget.Share request = budget.share();
        request.ensure(10 * KIB);
        InflightBodyBudget.Share other = budget.share();
        other.ensure(60 * KIB);

        request.answerRoom(Duration.ofSeconds(30)).ensure(20 * KIB); // fits: taken at once
        // In all: 60 KiB more than the 30 free, so it waits (the budget's 50 ms, the shorter), then overdraws.
        request.answerRoom(Duration.ofSeconds(30)).ensure(80 * KIB);

        assertThat(budget.overdrafts()).isEqualTo(1);
        assertThat(request.heldBytes()).isEqualTo(90 * KIB);
        assertThat(budget.inUseBytes()).isEqualTo(150 * KIB);
        assertThatThrownBy(() -> budget.share().ensure(KIB)).as("no body is admitted while overdrawn")
                .isInstanceOf(InflightBodyBudget.Exhausted.class);
        request.close();
        other.close();
        assertThat(budget.inUseBytes()).isZero();
        budget.share().ensure(50 * KIB);
    }

    @Test
    void theLimitMustHoldAtLeastOneLargestBody() {
        assertThatThrownBy(() -> new InflightBodyBudget(10 * KIB, 10 * KIB, Duration.ZERO))
                .hasMessageContaining("inflight-body-limit: 10240 bytes (expected: more than max-body-size");
        assertThat(InflightBodyBudget.defaultLimit(10L << 20))
                .isGreaterThan(10L << 20)
                .isGreaterThanOrEqualTo(Runtime.getRuntime().maxMemory() / 10);
    }
}
