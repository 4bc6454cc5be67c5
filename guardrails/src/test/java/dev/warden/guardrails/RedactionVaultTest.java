package dev.warden.guardrails;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionVaultTest {

    @Test
    void sameValueGetsTheSamePlaceholderAndNumbersArePerLabel() {
        RedactionVault vault = new RedactionVault();
        assertThat(vault.placeholder("EMAIL", "a@x.io", "a@x.io", false)).isEqualTo("[EMAIL_1]");
        assertThat(vault.placeholder("EMAIL", "b@x.io", "b@x.io", false)).isEqualTo("[EMAIL_2]");
        assertThat(vault.placeholder("PHONE", "123", "123", false)).isEqualTo("[PHONE_1]");
        assertThat(vault.placeholder("EMAIL", "a@x.io", "A@x.io", false)).isEqualTo("[EMAIL_1]");
    }

    @Test
    void onlyReversibleEntriesAreRestored() {
        RedactionVault vault = new RedactionVault();
        String email = vault.placeholder("EMAIL", "a@x.io", "a@x.io", true);
        String phone = vault.placeholder("PHONE", "123", "123", false);

        assertThat(vault.restore("write to " + email + " or " + phone + " [EMAIL_9]"))
                .isEqualTo("write to a@x.io or [PHONE_1] [EMAIL_9]");
    }

    @Test
    void streamingRestoreHandlesPlaceholdersSplitAcrossChunks() {
        RedactionVault vault = new RedactionVault();
        vault.placeholder("EMAIL", "a@x.io", "a@x.io", true);
        String answer = "Sure, I mailed [EMAIL_1] and [EMAIL_1]. [not a placeholder]";
        for (int cut = 0; cut <= answer.length(); cut++) {
            RedactionVault.StreamingRestorer r = vault.streamingRestorer();
            String out = r.accept(answer.substring(0, cut)) + r.accept(answer.substring(cut)) + r.finish();
            assertThat(out).as("split at %d", cut).isEqualTo("Sure, I mailed a@x.io and a@x.io. [not a placeholder]");
        }
    }

    @Test
    void separateVaultsDoNotShareValues() {
        RedactionVault mine = new RedactionVault();
        RedactionVault theirs = new RedactionVault();
        mine.placeholder("EMAIL", "a@x.io", "a@x.io", true);

        assertThat(theirs.restore("[EMAIL_1]")).isEqualTo("[EMAIL_1]");
    }
}
