package dev.warden.guardrails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.guardrails.GuardrailPolicy.Mode;
import dev.warden.guardrails.GuardrailPolicy.OnFailure;
import dev.warden.guardrails.GuardrailPolicy.Step;
import dev.warden.guardrails.pii.PiiRedactionGuardrail;
import dev.warden.guardrails.testing.Inspections;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GuardrailChainTest {

    /** A guardrail that blocks when its word appears, and records what text it was shown. */
    private record WordBlocker(String name, String word, List<String> seen) implements Guardrail {
        WordBlocker(String name, String word) {
            this(name, word, new CopyOnWriteArrayList<>());
        }

        @Override
        public Verdict inspect(Inspection in) {
            for (TextPart p : in.parts()) {
                seen.add(p.text());
                if (p.text().contains(word)) {
                    return new Verdict.Block("found the word", "WORD", 0.9);
                }
            }
            return Verdict.allow();
        }
    }

    /** A guardrail that takes longer than any budget in these tests. */
    private record Slow(String name) implements Guardrail {
        @Override
        public Verdict inspect(Inspection in) throws GuardrailException {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new GuardrailException(name + ": interrupted");
            }
            return Verdict.allow();
        }
    }

    /** A guardrail whose vendor is down. */
    private record Failing(String name, Exception failure) implements Guardrail {
        @Override
        public Verdict inspect(Inspection in) throws GuardrailException {
            if (failure instanceof GuardrailException g) {
                throw g;
            }
            throw (RuntimeException) failure;
        }
    }

    /** A guardrail that says it may run inline, and records the thread it was called on. */
    private record Inline(String name, List<Thread> calledOn, @org.jspecify.annotations.Nullable RuntimeException failure)
            implements Guardrail {
        @Override
        public Verdict inspect(Inspection in) {
            calledOn.add(Thread.currentThread());
            if (failure != null) {
                throw failure;
            }
            return Verdict.allow();
        }

        @Override
        public boolean runsInline() {
            return true;
        }
    }

    private final PiiRedactionGuardrail pii = PiiRedactionGuardrail.defaults();

    @Test
    void appliesSpansInAnyOrderAcrossPartsKeepingTheTextBetweenThem() {
        // Spans at the edges, adjacent ones, replacements longer and shorter than what they replace, given shuffled.
        List<TextPart> parts = List.of(TextPart.message("m0", "a@b.c and d@e.f"), TextPart.message("m1", "nothing here"),
                TextPart.message("m2", "xyz123"));
        List<Span> spans = new ArrayList<>(List.of(
                new Span(2, 3, 6, "NUM", "<N>"),
                new Span(0, 10, 15, "EMAIL", "[EMAIL]"),
                new Span(2, 0, 1, "X", "[LETTER]"),
                new Span(0, 0, 5, "EMAIL", "[E]"),
                new Span(2, 1, 3, "Y", "")));

        List<TextPart> out = GuardrailChain.apply(parts, spans);

        assertThat(out).extracting(TextPart::text).containsExactly("[E] and [EMAIL]", "nothing here", "[LETTER]<N>");
        assertThat(out).extracting(TextPart::path).containsExactly("m0", "m1", "m2");
    }

    @Test
    void appliesTensOfThousandsOfSpansInOnePartLikeAReferenceRewrite() {
        // A long prompt full of findings (a coding agent pasting a log): every fifth char is a digit to replace.
        StringBuilder prompt = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 40_000; i++) {
            int at = prompt.length();
            prompt.append("abcd").append((char) ('0' + i % 10));
            expected.append("abcd").append("<").append(i % 10).append(">");
            spans.add(new Span(0, at + 4, at + 5, "DIGIT", "<" + (i % 10) + ">"));
        }
        java.util.Collections.shuffle(spans, new java.util.Random(7));

        List<TextPart> out = GuardrailChain.apply(List.of(TextPart.message("m", prompt.toString())), spans);

        assertThat(out.getFirst().text()).isEqualTo(expected.toString());
    }

    @Test
    void inlineGuardrailRunsOnTheCallersThreadAndOthersDoNot() {
        List<Thread> inline = new CopyOnWriteArrayList<>();
        List<Thread> handedOff = new CopyOnWriteArrayList<>();
        Guardrail other = new Guardrail() {
            @Override
            public String name() {
                return "vendor";
            }

            @Override
            public Verdict inspect(Inspection in) {
                handedOff.add(Thread.currentThread());
                return Verdict.allow();
            }
        };
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("local"), Step.of("vendor")),
                List.of(new Inline("local", inline, null), other));

        ChainOutcome outcome = chain.run(Inspections.input("hello"));

        assertThat(outcome.blocked()).isFalse();
        assertThat(inline).containsExactly(Thread.currentThread());
        assertThat(handedOff).hasSize(1).doesNotContain(Thread.currentThread());
        assertThat(pii.runsInline()).as("the PII engine does no I/O").isTrue();
    }

    @Test
    void inlineGuardrailFailureFollowsThePolicyLikeAnyOther() {
        Inline broken = new Inline("local", new CopyOnWriteArrayList<>(),
                new IllegalStateException("secret text in the message"));

        ChainOutcome closed = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("local")), List.of(broken))
                .run(Inspections.input("hi"));
        ChainOutcome open = GuardrailChain.of(GuardrailPolicy.of("p",
                Step.of("local").onFailure(OnFailure.FAIL_OPEN)), List.of(broken)).run(Inspections.input("hi"));

        assertThat(closed.blocked()).isTrue();
        assertThat(closed.blockedBy().status()).isEqualTo(GuardrailResult.Status.ERROR);
        assertThat(closed.block().reason()).contains("java.lang.IllegalStateException").doesNotContain("secret");
        assertThat(open.blocked()).isFalse();
        assertThat(open.results().get(0).status()).isEqualTo(GuardrailResult.Status.ERROR);
    }

    @Test
    void laterGuardrailsSeeTheTextAsRedactedByEarlierOnes() {
        WordBlocker vendor = new WordBlocker("vendor", "forbidden");
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("pii"), Step.of("vendor")),
                List.of(pii, vendor));

        ChainOutcome outcome = chain.run(Inspections.input("mail alice@example.com now"));

        assertThat(outcome.blocked()).isFalse();
        assertThat(outcome.parts().get(0).text()).isEqualTo("mail [EMAIL_1] now");
        assertThat(vendor.seen()).containsExactly("mail [EMAIL_1] now");
        assertThat(outcome.parts().get(0).path()).isEqualTo("messages[0].content");
    }

    @Test
    void enforcedBlockStopsTheChainAndNamesTheCulprit() {
        WordBlocker first = new WordBlocker("first", "attack");
        WordBlocker second = new WordBlocker("second", "never");
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("first"), Step.of("second")),
                List.of(first, second));

        ChainOutcome outcome = chain.run(Inspections.input("an attack"));

        assertThat(outcome.blocked()).isTrue();
        assertThat(outcome.blockedBy().guardrail()).isEqualTo("first");
        assertThat(outcome.block().category()).isEqualTo("WORD");
        assertThat(second.seen()).isEmpty();
        assertThat(outcome.results()).hasSize(1);
    }

    @Test
    void enforceModeTurnsARedactionIntoABlock() {
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("strict", Step.of("pii").mode(Mode.ENFORCE)),
                List.of(pii));

        ChainOutcome outcome = chain.run(Inspections.input("card 4111 1111 1111 1111"));

        assertThat(outcome.blocked()).isTrue();
        assertThat(outcome.block().category()).isEqualTo("SENSITIVE_DATA");
        assertThat(outcome.block().reason()).contains("CREDIT_CARD").doesNotContain("4111");
    }

    @Test
    void monitorModeRecordsButChangesNothing() {
        WordBlocker vendor = new WordBlocker("vendor", "attack");
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("watch",
                Step.of("pii").mode(Mode.MONITOR), Step.of("vendor").mode(Mode.MONITOR)), List.of(pii, vendor));

        ChainOutcome outcome = chain.run(Inspections.input("attack from bob@example.org"));

        assertThat(outcome.blocked()).isFalse();
        assertThat(outcome.parts().get(0).text()).isEqualTo("attack from bob@example.org");
        assertThat(outcome.entityCounts()).containsEntry("EMAIL", 1);
        assertThat(outcome.results()).allSatisfy(r -> assertThat(r.enforced()).isFalse());
        assertThat(outcome.summary()).contains("(not enforced)").doesNotContain("bob@example.org");
    }

    @Test
    void stepsRunOnlyInTheirDirection() {
        WordBlocker inputOnly = new WordBlocker("in", "x");
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("in").on(Direction.INPUT)),
                List.of(inputOnly));

        assertThat(chain.run(Inspections.output("x")).results()).isEmpty();
        assertThat(chain.run(Inspections.input("x")).blocked()).isTrue();
    }

    @Test
    void timeoutFailsClosedByDefault() {
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("p",
                Step.of("slow").timeout(Duration.ofMillis(100))), List.of(new Slow("slow")));

        long started = System.nanoTime();
        ChainOutcome outcome = chain.run(Inspections.input("hello"));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(outcome.blocked()).isTrue();
        assertThat(outcome.blockedBy().status()).isEqualTo(GuardrailResult.Status.TIMEOUT);
        assertThat(outcome.block().category()).isEqualTo(GuardrailChain.UNAVAILABLE);
        assertThat(outcome.block().reason()).contains("slow timed out after 100ms");
    }

    @Test
    void timeoutFailsOpenWhenThePolicySaysSo() {
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("p",
                Step.of("slow").timeout(Duration.ofMillis(100)).onFailure(OnFailure.FAIL_OPEN)),
                List.of(new Slow("slow")));

        ChainOutcome outcome = chain.run(Inspections.input("hello"));

        assertThat(outcome.blocked()).isFalse();
        GuardrailResult r = outcome.results().get(0);
        assertThat(r.status()).isEqualTo(GuardrailResult.Status.TIMEOUT);
        assertThat(r.verdict()).isInstanceOf(Verdict.Allow.class);
        assertThat(r.error()).contains("timed out");
    }

    @Test
    void vendorErrorFailsClosedOrOpen() {
        Failing down = new Failing("vendor", new GuardrailException("vendor: HTTP 503 ServiceUnavailable", 503,
                false, null));
        ChainOutcome closed = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("vendor")), List.of(down))
                .run(Inspections.input("hi"));
        ChainOutcome open = GuardrailChain.of(GuardrailPolicy.of("p",
                Step.of("vendor").onFailure(OnFailure.FAIL_OPEN)), List.of(down)).run(Inspections.input("hi"));

        assertThat(closed.blocked()).isTrue();
        assertThat(closed.block().reason()).contains("HTTP 503 ServiceUnavailable");
        assertThat(open.blocked()).isFalse();
        assertThat(open.results().get(0).status()).isEqualTo(GuardrailResult.Status.ERROR);
    }

    @Test
    void monitorModeNeverBlocksEvenWhenFailingClosed() {
        GuardrailChain chain = GuardrailChain.of(GuardrailPolicy.of("p",
                Step.of("slow").timeout(Duration.ofMillis(50)).mode(Mode.MONITOR)), List.of(new Slow("slow")));

        assertThat(chain.run(Inspections.input("hi")).blocked()).isFalse();
    }

    @Test
    void foreignExceptionMessagesAreNotRecordedBecauseTheyMayQuoteTheText() {
        Failing leaky = new Failing("leaky", new IllegalStateException("cannot parse 'alice@example.com'"));
        ChainOutcome outcome = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("leaky")), List.of(leaky))
                .run(Inspections.input("alice@example.com"));

        assertThat(outcome.results().get(0).error()).isEqualTo("guardrail leaky failed: java.lang.IllegalStateException");
        assertThat(outcome.summary()).doesNotContain("alice");
    }

    @Test
    void spansOutsideThePartAreAGuardrailError() {
        Guardrail broken = new Guardrail() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Verdict inspect(Inspection in) {
                return new Verdict.Redact(List.of(new Span(0, 2, 50, "X", "[X]")));
            }
        };
        ChainOutcome outcome = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("broken")), List.of(broken))
                .run(Inspections.input("short"));

        assertThat(outcome.blocked()).isTrue();
        assertThat(outcome.results().get(0).error())
                .isEqualTo("guardrail broken returned span [2, 50) in part 0 of length 5 (expected: end <= length)");
    }

    @Test
    void redactionsApplyToEveryPartKind() {
        List<TextPart> parts = new ArrayList<>();
        parts.add(TextPart.message("m0", "call +49 30 1234567"));
        parts.add(new TextPart("m1.tool_calls[0].arguments", TextPart.Kind.TOOL_ARGUMENTS,
                "{\"to\":\"alice@example.com\"}"));
        parts.add(new TextPart("m2.content", TextPart.Kind.TOOL_RESULT, "alice@example.com replied"));
        Inspection in = new Inspection(Direction.INPUT, parts, InspectionContext.of("k", null));

        ChainOutcome outcome = GuardrailChain.of(GuardrailPolicy.defaultPolicy(), List.of(pii)).run(in);

        assertThat(outcome.parts()).extracting(TextPart::text).containsExactly("call [PHONE_1]",
                "{\"to\":\"[EMAIL_1]\"}", "[EMAIL_1] replied");
        assertThat(outcome.entityCounts()).containsEntry("EMAIL", 2).containsEntry("PHONE", 1);
        assertThat(outcome.summary()).startsWith("input allowed; pii REDACT ok redact EMAIL=2,PHONE=1");
    }

    @Test
    void policyNamingAnUnknownGuardrailFailsAtBuildTime() {
        assertThatThrownBy(() -> GuardrailChain.of(GuardrailPolicy.of("team-a", Step.of("azure")), List.of(pii)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("policy team-a names guardrail 'azure' (expected one of: [pii])");
    }

    @Test
    void policyRejectsBadValuesWithTheValueAndTheExpectation() {
        assertThatThrownBy(() -> Step.of("pii").timeout(Duration.ZERO))
                .hasMessage("timeout of pii: PT0S (expected: PT0.001S..PT5M)");
        assertThatThrownBy(() -> GuardrailPolicy.of("p", Step.of("pii"), Step.of("pii")))
                .hasMessage("policy p: guardrail 'pii' appears twice (expected: each guardrail at most once)");
    }

    @Test
    void piiGuardrailBlocksTypesThePolicyWillNotLetThrough() {
        PiiRedactionGuardrail strict = new PiiRedactionGuardrail("pii-strict", dev.warden.guardrails.pii.PiiRedactor
                .defaults(), java.util.EnumSet.of(dev.warden.guardrails.pii.EntityType.PRIVATE_KEY));
        String key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
                + "-----END PRIVATE KEY-----";

        ChainOutcome outcome = GuardrailChain.of(GuardrailPolicy.of("p", Step.of("pii-strict")), List.of(strict))
                .run(Inspections.input("mail a@b.io", key));

        assertThat(outcome.blocked()).isTrue();
        assertThat(outcome.block().category()).isEqualTo("PRIVATE_KEY");
        assertThat(outcome.block().reason()).isEqualTo("found {PRIVATE_KEY=1} which policy blocks")
                .doesNotContain("MIIE");
    }
}
