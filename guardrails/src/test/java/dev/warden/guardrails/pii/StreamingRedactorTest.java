package dev.warden.guardrails.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.guardrails.RedactionVault;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Streaming redaction must equal redaction of the whole text, however the stream is cut. */
class StreamingRedactorTest {

    private final PiiRedactor redactor = PiiRedactor.defaults();

    private String batch(String text) {
        return redactor.redact(text, new RedactionVault()).text();
    }

    private String stream(List<String> chunks) {
        StreamingRedactor s = new StreamingRedactor(redactor, new RedactionVault());
        StringBuilder out = new StringBuilder();
        for (String c : chunks) {
            out.append(s.accept(c));
        }
        return out.append(s.finish()).toString();
    }

    /** Long enough that the window slides several times before the findings. */
    private static final String PROSE = "The quarterly report covers revenue, churn and the roadmap for next year. ";

    @Test
    void everySplitPointOfEveryCorpusSampleGivesTheBatchResult() {
        String lead = PROSE.repeat(6); // ~450 chars: the window has slid past the start when PII arrives
        for (Corpus.Sample sample : Corpus.load().samples()) {
            if (sample.expected().isEmpty()) {
                continue;
            }
            String text = lead + sample.text() + " " + PROSE;
            String expected = batch(text);
            for (int cut = lead.length() - 1; cut <= lead.length() + sample.text().length() + 1; cut++) {
                String got = stream(List.of(text.substring(0, cut), text.substring(cut)));
                assertThat(got).as("corpus line %d split at %d", sample.line(), cut - lead.length()).isEqualTo(expected);
            }
        }
    }

    @Test
    void charByCharStreamOfTheWholeCorpusGivesTheBatchResult() {
        StringBuilder all = new StringBuilder();
        for (Corpus.Sample s : Corpus.load().samples()) {
            all.append(s.text()).append('\n');
        }
        String text = all.toString();
        List<String> chars = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            chars.add(String.valueOf(text.charAt(i)));
        }
        assertThat(stream(chars)).isEqualTo(batch(text));
    }

    @Test
    void randomChunkingGivesTheBatchResult() {
        StringBuilder all = new StringBuilder();
        for (Corpus.Sample s : Corpus.load().samples()) {
            all.append(s.text()).append(s.line() % 3 == 0 ? " " : "\n");
        }
        String text = all.toString();
        String expected = batch(text);
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            List<String> chunks = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                int n = 1 + random.nextInt(random.nextBoolean() ? 8 : 400);
                chunks.add(text.substring(i, Math.min(text.length(), i + n)));
                i += n;
            }
            assertThat(stream(chunks)).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Test
    void holdsBackNoMoreThanTheWindowInOrdinaryProse() {
        StreamingRedactor s = new StreamingRedactor(redactor, new RedactionVault());
        String text = PROSE.repeat(40);
        int fed = 0;
        int emitted = 0;
        for (int i = 0; i < text.length(); i += 7) {
            String chunk = text.substring(i, Math.min(text.length(), i + 7));
            fed += chunk.length();
            emitted += s.accept(chunk).length();
            assertThat(fed - emitted).isLessThanOrEqualTo(StreamingRedactor.WINDOW + StreamingRedactor.MIN_EMIT + 7);
        }
        assertThat(emitted + s.finish().length()).isEqualTo(text.length());
    }

    @Test
    void privateKeyBlockSplitAnywhereIsRedactedWhole() {
        String key = "-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
                .repeat(30) + "-----END RSA PRIVATE KEY-----";
        String text = PROSE.repeat(5) + key + "\n" + PROSE.repeat(5);
        String expected = batch(text);
        assertThat(expected).contains("[PRIVATE_KEY_1]").doesNotContain("MIIEow");
        for (int cut = 0; cut < text.length(); cut += 13) {
            assertThat(stream(List.of(text.substring(0, cut), text.substring(cut)))).as("split at %d", cut)
                    .isEqualTo(expected);
        }
    }

    @Test
    void countsWhatItRedactedWithoutValues() {
        StreamingRedactor s = new StreamingRedactor(redactor, new RedactionVault());
        s.accept("mail a@b.io and ");
        s.accept("c@d.io");
        s.finish();
        assertThat(s.entityCounts()).containsEntry("EMAIL", 2);
        assertThat(s.replacements()).extracting(Replacement::start).containsExactly(5, 16);
    }
}
