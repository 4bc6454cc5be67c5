package dev.warden.sso;

import dev.warden.sso.testapp.RecordingAuditSink;
import dev.warden.sso.testapp.SsoTestApplication;
import dev.warden.sso.testapp.TestIdentityProviders;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Base of the integration tests: the test application with every sign-in method configured (see
 * {@code application.yml} in test resources) against the test IdPs. All subclasses share one Spring context.
 */
@SpringBootTest(classes = SsoTestApplication.class)
@AutoConfigureMockMvc
public abstract class SsoIntegrationTest {

    @DynamicPropertySource
    static void identityProviders(DynamicPropertyRegistry registry) {
        TestIdentityProviders.register(registry);
    }

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected RecordingAuditSink audit;

    @BeforeEach
    void clearAudit() {
        audit.clear();
    }

    /** A bearer JWT from the {@code automation} issuer for the admin API, with these groups. */
    protected static String automationToken(String subject, List<String> groups) {
        return TestIdentityProviders.OIDC.issueToken("automation", subject, TestIdentityProviders.API_AUDIENCE,
                Map.of("groups", groups), 600).serialize();
    }
}
