package dev.warden.sso.testapp;

import dev.warden.sso.admintoken.AdminTokenVerifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A small gateway stand-in: dummy admin endpoints guarded through the permission matrix, a console page, and an
 * LLM-style {@code /v1} endpoint the security chain must leave alone. The SSO module arrives by auto-configuration,
 * as it will in the gateway.
 */
@SpringBootApplication
public class SsoTestApplication {

    /** The bootstrap admin token of the test app; only its hash is given to the module. */
    public static final String ADMIN_TOKEN = "wdn_admin_test_6Jq0v3X9b2Lr8TzYk1Pn4Hs7Cw5Ue0Ad";

    @Bean
    AdminTokenVerifier adminTokenVerifier() {
        byte[] hash = AdminTokenVerifier.sha256Of(ADMIN_TOKEN);
        return AdminTokenVerifier.sha256(() -> hash);
    }

    /** Stands in for the gateway's ledger-backed sink; replaces the module's logging default. */
    @Bean
    RecordingAuditSink recordingAuditSink() {
        return new RecordingAuditSink();
    }
}
