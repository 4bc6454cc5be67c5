package dev.warden.sso.admintoken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.warden.sso.SsoIntegrationTest;
import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.rbac.AuthenticationMethod;
import dev.warden.sso.testapp.SsoTestApplication;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;

/** The bootstrap admin token: works on the admin API only, and every use and every miss is audited. */
class AdminTokenTest extends SsoIntegrationTest {

    @Test
    void everyUseIsAuditedAndNoSessionIsCreated() throws Exception {
        MvcResult result = mvc.perform(delete("/admin/api/keys/k-search")
                        .header("Authorization", "Bearer " + SsoTestApplication.ADMIN_TOKEN))
                .andExpect(status().isNoContent()).andReturn();
        mvc.perform(get("/admin/api/whoami").header("Authorization", "Bearer " + SsoTestApplication.ADMIN_TOKEN))
                .andExpect(jsonPath("$.method").value("ADMIN_TOKEN"))
                .andExpect(jsonPath("$.grants[0]").value("admin"));

        assertThat(result.getRequest().getSession(false)).isNull();
        assertThat(audit.events(SecurityEvent.AdminTokenUsed.class)).hasSize(2).first().satisfies(e -> {
            assertThat(e.httpMethod()).isEqualTo("DELETE");
            assertThat(e.path()).isEqualTo("/admin/api/keys/k-search");
            assertThat(e.sourceAddress()).isEqualTo("127.0.0.1");
        });
        assertThat(audit.events().toString()).doesNotContain(SsoTestApplication.ADMIN_TOKEN);
    }

    @Test
    void aWrongTokenIsRefusedAndAuditedWithoutTheToken() throws Exception {
        String wrong = SsoTestApplication.ADMIN_TOKEN.substring(0, SsoTestApplication.ADMIN_TOKEN.length() - 1) + "X";

        mvc.perform(get("/admin/api/whoami").header("Authorization", "Bearer " + wrong)).andExpect(status().isUnauthorized());

        assertThat(audit.events(SecurityEvent.LoginFailed.class)).singleElement()
                .satisfies(e -> assertThat(e.method()).isEqualTo(AuthenticationMethod.ADMIN_TOKEN));
        assertThat(audit.events(SecurityEvent.AdminTokenUsed.class)).isEmpty();
        assertThat(audit.events().toString()).doesNotContain(wrong);
    }

    @Test
    void theTokenOpensNothingOutsideTheAdminApi() throws Exception {
        mvc.perform(get("/console").header("Authorization", "Bearer " + SsoTestApplication.ADMIN_TOKEN))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/admin/api/whoami?access_token=" + SsoTestApplication.ADMIN_TOKEN))
                .andExpect(status().isUnauthorized());
        assertThat(audit.events(SecurityEvent.AdminTokenUsed.class)).isEmpty();
    }

    @Test
    void theVerifierComparesHashes() {
        AdminTokenVerifier verifier = AdminTokenVerifier.sha256Hex(AdminTokenVerifier.sha256HexOf("s3cret-token"));

        assertThat(verifier.matches("s3cret-token")).isTrue();
        assertThat(verifier.matches("s3cret-tokem")).isFalse();
        assertThat(verifier.matches("")).isFalse();
        assertThat(AdminTokenVerifier.sha256(() -> null).matches("anything")).isFalse();
    }
}
