package dev.warden.guardrails.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.guardrails.ChainOutcome;
import dev.warden.guardrails.Guardrail;
import dev.warden.guardrails.GuardrailChain;
import dev.warden.guardrails.GuardrailException;
import dev.warden.guardrails.GuardrailPolicy;
import dev.warden.guardrails.GuardrailPolicy.OnFailure;
import dev.warden.guardrails.GuardrailPolicy.Step;
import dev.warden.guardrails.GuardrailResult;
import dev.warden.guardrails.Verdict;
import dev.warden.guardrails.testing.VendorServer.Reply;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every vendor adapter must do against a local server speaking the vendor's wire format: allow, block, and
 * turn throttling, server errors and timeouts into failures the chain resolves by its fail-open or fail-closed rule,
 * without the credential ever reaching an error or a summary.
 */
public abstract class VendorGuardrailContract {

    /** A credential that must never show up anywhere but in the request headers. */
    protected static final String CANARY = "canary-secret-7f3a9c1e5b";

    protected VendorServer server;

    @BeforeEach
    void startServer() {
        server = new VendorServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** The adapter pointed at {@link #server}, with this per-call timeout, using {@link #CANARY} as credential. */
    protected abstract Guardrail guardrail(Duration timeout);

    /** A 200 answer meaning "nothing found". */
    protected abstract Reply allowReply();

    /** A 200 answer meaning "block". */
    protected abstract Reply blockReply();

    /** The vendor's throttling answer. */
    protected abstract Reply throttledReply();

    /** The vendor's internal-error answer. */
    protected abstract Reply serverErrorReply();

    /** The vendor's answer to a bad request (4xx other than 429). */
    protected abstract Reply clientErrorReply();

    /** How many HTTP calls one input inspection of a single message makes. */
    protected int callsPerInspection() {
        return 1;
    }

    private void enqueue(Reply last) {
        for (int k = 1; k < callsPerInspection(); k++) {
            server.enqueue(allowReply());
        }
        server.enqueue(last);
    }

    private ChainOutcome run(Duration adapterTimeout, Step step) {
        Guardrail g = guardrail(adapterTimeout);
        return GuardrailChain.of(GuardrailPolicy.of("contract", step), List.of(g)).run(Inspections.input("hello"));
    }

    private Step step() {
        return Step.of(guardrail(Duration.ofSeconds(2)).name());
    }

    @Test
    void allowsWhatTheVendorAllows() throws Exception {
        enqueue(allowReply());
        assertThat(guardrail(Duration.ofSeconds(2)).inspect(Inspections.input("hello")))
                .isInstanceOf(Verdict.Allow.class);
    }

    @Test
    void blocksWhatTheVendorFlags() throws Exception {
        enqueue(blockReply());
        Verdict v = guardrail(Duration.ofSeconds(2)).inspect(Inspections.input("hello"));
        assertThat(v).isInstanceOf(Verdict.Block.class);
        Verdict.Block b = (Verdict.Block) v;
        assertThat(b.score()).isBetween(0.0, 1.0);
        assertThat(b.reason()).doesNotContain("hello");
    }

    @Test
    void throttlingIsReportedAsThrottled() {
        enqueue(throttledReply());
        assertThatThrownBy(() -> guardrail(Duration.ofSeconds(2)).inspect(Inspections.input("hello")))
                .isInstanceOfSatisfying(GuardrailException.class, e -> {
                    assertThat(e.throttled()).isTrue();
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("hello");
                });
    }

    @Test
    void throttlingFailsClosedByDefault() {
        enqueue(throttledReply());
        ChainOutcome outcome = run(Duration.ofSeconds(2), step());
        assertThat(outcome.blocked()).isTrue();
        assertThat(outcome.block().category()).isEqualTo(GuardrailChain.UNAVAILABLE);
        assertThat(outcome.block().reason()).contains("429");
        assertThat(outcome.summary()).doesNotContain(CANARY);
    }

    @Test
    void throttlingFailsOpenWhenAllowed() {
        enqueue(throttledReply());
        ChainOutcome outcome = run(Duration.ofSeconds(2), step().onFailure(OnFailure.FAIL_OPEN));
        assertThat(outcome.blocked()).isFalse();
        assertThat(outcome.results().get(0).status()).isEqualTo(GuardrailResult.Status.ERROR);
    }

    @Test
    void serverErrorFailsClosedAndOpen() {
        enqueue(serverErrorReply());
        ChainOutcome closed = run(Duration.ofSeconds(2), step());
        assertThat(closed.blocked()).isTrue();
        assertThat(closed.results().get(0).error()).contains("HTTP 5").doesNotContain(CANARY);

        enqueue(serverErrorReply());
        ChainOutcome open = run(Duration.ofSeconds(2), step().onFailure(OnFailure.FAIL_OPEN));
        assertThat(open.blocked()).isFalse();
    }

    @Test
    void clientErrorIsAFailureNamingTheStatus() {
        enqueue(clientErrorReply());
        assertThatThrownBy(() -> guardrail(Duration.ofSeconds(2)).inspect(Inspections.input("hello")))
                .isInstanceOfSatisfying(GuardrailException.class, e -> {
                    assertThat(e.status()).isBetween(400, 499);
                    assertThat(e.throttled()).isFalse();
                    assertThat(e.getMessage()).doesNotContain(CANARY);
                });
    }

    @Test
    void slowVendorHitsTheAdapterTimeoutAndFailsClosedOrOpen() {
        enqueue(allowReply().delayed(1_500));
        ChainOutcome closed = run(Duration.ofMillis(300), step());
        assertThat(closed.blocked()).isTrue();
        assertThat(closed.results().get(0).elapsed()).isLessThan(Duration.ofMillis(1_400));

        enqueue(allowReply().delayed(1_500));
        ChainOutcome open = run(Duration.ofMillis(300), step().onFailure(OnFailure.FAIL_OPEN));
        assertThat(open.blocked()).isFalse();
        assertThat(open.results().get(0).status()).isEqualTo(GuardrailResult.Status.ERROR);
    }

    @Test
    void chainBudgetCutsASlowVendorShort() {
        enqueue(allowReply().delayed(1_500));
        ChainOutcome outcome = run(Duration.ofSeconds(5), step().timeout(Duration.ofMillis(200)));
        assertThat(outcome.blocked()).isTrue();
        assertThat(outcome.blockedBy().status()).isEqualTo(GuardrailResult.Status.TIMEOUT);
    }

    @Test
    void credentialTravelsOnlyInTheRequest() throws Exception {
        enqueue(allowReply());
        guardrail(Duration.ofSeconds(2)).inspect(Inspections.input("hello"));
        VendorServer.Received r = server.last();
        assertThat(r.body()).doesNotContain(CANARY);
        assertThat(guardrail(Duration.ofSeconds(2)).toString()).doesNotContain(CANARY);
    }
}
