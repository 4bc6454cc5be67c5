package dev.warden.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.gateway.providers.ProviderAdapter;
import dev.warden.gateway.providers.demo.DemoAdapter;
import dev.warden.gateway.routing.RouteTable;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.mock.env.MockEnvironment;

/** Every bad option is reported at start with its full name, the value and what was expected. */
class ConfigurationTest {
    private static final Map<String, ProviderAdapter> ADAPTERS = Map.of("demo", new DemoAdapter(),
            "openai", new dev.warden.gateway.providers.openai.OpenAiAdapter(null));

    private static WardenProperties bind(String... pairs) {
        MockEnvironment environment = new MockEnvironment();
        for (int i = 0; i < pairs.length; i += 2) {
            environment.setProperty(pairs[i], pairs[i + 1]);
        }
        return new WardenConfiguration().wardenProperties(environment);
    }

    @Test
    void ledgerBodyOptionsAreChecked() {
        assertThat(bind("warden.demo", "true").ledger().bodies().sealed()).isFalse();
        assertThat(bind("warden.ledger.bodies.capture", "sealed", "warden.ledger.bodies.retention", "90d").ledger()
                .bodies().retention()).isEqualTo(java.time.Duration.ofDays(90));
        assertThatThrownBy(() -> bind("warden.ledger.bodies.capture", "plain"))
                .hasStackTraceContaining("capture: \"plain\" (expected: none");
        assertThatThrownBy(() -> bind("warden.ledger.bodies.retention", "12h"))
                .hasStackTraceContaining("retention: \"PT12H\" (expected: whole days");
        assertThatThrownBy(() -> bind("warden.ledger.verify-interval", "-1s"))
                .hasStackTraceContaining("verify-interval");
    }

    @Test
    void theLedgerCommitsThroughItsJournalWithoutWaitingForStragglersByDefault() {
        WardenProperties.Ledger ledger = bind().ledger();
        assertThat(ledger.journal()).isTrue();
        assertThat(ledger.commitDelay()).isZero();
        assertThat(bind("warden.ledger.commit-delay", "2ms").ledger().commitDelay())
                .isEqualTo(java.time.Duration.ofMillis(2));
        assertThatThrownBy(() -> bind("warden.ledger.commit-delay", "1s"))
                .hasStackTraceContaining("commit-delay: \"PT1S\" (expected: 0..100ms");
    }

    @Test
    void theBackgroundVerificationKeepsToAQuarterOfACoreByDefault() {
        assertThat(bind().ledger().verifyCpuShare()).isEqualTo(0.25);
        assertThat(bind("warden.ledger.verify-cpu-share", "1").ledger().verifyCpuShare()).isEqualTo(1.0);
        assertThatThrownBy(() -> bind("warden.ledger.verify-cpu-share", "0"))
                .hasStackTraceContaining("verify-cpu-share: \"0.0\" (expected: (0, 1]");
        assertThatThrownBy(() -> bind("warden.ledger.verify-cpu-share", "1.5"))
                .hasStackTraceContaining("verify-cpu-share: \"1.5\"");
    }

    @Test
    void ssoOptionsInTheConfigurationFileAreLeftToTheSsoModule() {
        assertThat(bind("warden.demo", "true", "warden.sso.oidc.okta.client-id", "warden",
                "warden.sso.role-mappings[0].group", "admins").demo()).isTrue();
        assertThatThrownBy(() -> bind("warden.ssso.oidc.okta.client-id", "warden"))
                .hasStackTraceContaining("warden.ssso");
    }

    @Test
    void upstreamClientOptionsAreChecked() {
        assertThat(bind("warden.demo", "true").upstream().client()).isEqualTo("builtin");
        assertThat(bind("warden.upstream.client", "jdk").upstream().client()).isEqualTo("jdk");
        assertThatThrownBy(() -> bind("warden.upstream.client", "okhttp"))
                .hasStackTraceContaining("client: \"okhttp\" (expected: builtin");
        assertThatThrownBy(() -> bind("warden.upstream.idle-timeout", "0s")).hasStackTraceContaining("idle-timeout");
    }

    @Test
    void defaultsNeedNoConfiguration() {
        WardenProperties properties = bind();
        assertThat(properties.limits().maxBodySize().toMegabytes()).isEqualTo(10);
        assertThat(properties.providers()).isEmpty();
        assertThat(RouteTable.from(bind("warden.demo", "true"), ADAPTERS).modelNames()).containsExactly("demo");
    }

    @Test
    void anUnknownKeyIsAnError() {
        assertThatThrownBy(() -> bind("warden.limts.max-body-size", "1MB")).isInstanceOf(BindException.class)
                .hasStackTraceContaining("warden.limts.max-body-size");
    }

    @Test
    void aValueOfTheWrongTypeNamesTheOption() {
        assertThatThrownBy(() -> bind("warden.limits.request-timeout", "soon")).isInstanceOf(BindException.class)
                .hasMessageContaining("warden.limits");
    }

    @Test
    void constraintsAreChecked() {
        assertThatThrownBy(() -> bind("warden.limits.max-body-size", "1GB"))
                .hasStackTraceContaining("max-body-size must be between 1KB and 100MB");
        assertThatThrownBy(() -> bind("warden.providers[0].name", "p", "warden.providers[0].type", "openai",
                "warden.providers[0].keys[0].id", "k", "warden.providers[0].keys[0].weight", "0"))
                .hasStackTraceContaining("weight: \"0\" (expected: 1..1000)");
        assertThatThrownBy(() -> bind("warden.providers[0].name", "Bad Name!", "warden.providers[0].type", "openai"))
                .hasStackTraceContaining("warden.providers[0]").hasStackTraceContaining("name: \"Bad Name!\"");
    }

    @Test
    void aTargetNamingAnUnknownProviderIsAnError() {
        WardenProperties properties = bind("warden.providers[0].name", "openai", "warden.providers[0].type", "openai",
                "warden.models[0].name", "gpt-4o", "warden.models[0].targets[0].provider", "opneai");

        assertThatThrownBy(() -> RouteTable.from(properties, ADAPTERS)).isInstanceOf(ConfigurationError.class)
                .hasMessage("warden.models[0].targets[0].provider: \"opneai\" (expected: one of the configured "
                        + "providers [openai])");
    }

    @Test
    void anUnknownProviderTypeListsTheKnownOnes() {
        WardenProperties properties = bind("warden.providers[0].name", "x", "warden.providers[0].type", "bard");

        assertThatThrownBy(() -> RouteTable.from(properties, ADAPTERS))
                .hasMessageStartingWith("warden.providers[0].type: \"bard\" (expected: one of [demo, groq,");
    }

    @Test
    void anOpenAiCompatibleServerNeedsItsUrl() {
        WardenProperties properties = bind("warden.providers[0].name", "vllm", "warden.providers[0].type", "vllm");

        assertThatThrownBy(() -> RouteTable.from(properties, ADAPTERS))
                .hasMessageStartingWith("warden.providers[0].base-url: \"missing\"");
        WardenProperties ftp = bind("warden.providers[0].name", "v", "warden.providers[0].type", "vllm",
                "warden.providers[0].base-url", "ftp://host/v1");
        assertThatThrownBy(() -> RouteTable.from(ftp, ADAPTERS)).hasMessageContaining("an absolute http(s) URL");
    }
}
