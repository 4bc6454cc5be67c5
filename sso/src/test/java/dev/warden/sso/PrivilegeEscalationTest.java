package dev.warden.sso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.warden.sso.audit.SecurityEvent;
import dev.warden.sso.rbac.Permission;
import java.util.List;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

/** The escalation paths behind LiteLLM's advisories, tried through the admin API. */
class PrivilegeEscalationTest extends SsoIntegrationTest {

    @Test
    void anAdminCannotChangeTheirOwnRoles() throws Exception {
        String me = automationToken("alice", List.of("warden-admins"));

        roles(me, "alice", "[{\"role\":\"viewer\",\"team\":null}]")
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("nobody can change their own roles")));
    }

    @Test
    void aKeyManagerCannotMakeThemselvesAdmin() throws Exception {
        String me = automationToken("bob", List.of("warden-key-managers"));

        roles(me, "bob", "[{\"role\":\"admin\",\"team\":null}]").andExpect(status().isForbidden());
        roles(me, "someone-else", "[{\"role\":\"admin\",\"team\":null}]").andExpect(status().isForbidden());
        assertThat(audit.events(SecurityEvent.AccessDenied.class)).hasSize(2).allSatisfy(e -> {
            assertThat(e.principal().subject()).isEqualTo("bob");
            assertThat(e.permission()).isEqualTo(Permission.ROLES_WRITE);
            assertThat(e.path()).startsWith("/admin/api/roles/");
        });
    }

    @Test
    void aViewerCannotCreateAKey() throws Exception {
        // CVE-2025-0628: a viewer obtained an admin-capable key through key generation.
        key(automationToken("vera", List.of("warden-viewers")), "null", "[\"gpt-4o\"]", "10")
                .andExpect(status().isForbidden());
    }

    @Test
    void aTeamKeyManagerCannotCreateAKeyBeyondTheirOwnScope() throws Exception {
        String token = automationToken("tom", List.of("payments-key-managers"));

        key(token, "\"payments\"", "[\"gpt-4o-mini\"]", "100").andExpect(status().isCreated());
        key(token, "\"payments\"", "[\"gpt-4o\"]", "10").andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("models: [gpt-4o] not allowed")));
        key(token, "\"payments\"", "[\"gpt-4o-mini\"]", "101").andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("budget: 101 USD")));
        key(token, "\"payments\"", "null", "10").andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("models: any")));
        key(token, "\"search\"", "[\"gpt-4o-mini\"]", "10").andExpect(status().isForbidden());
    }

    @Test
    void aTeamKeyManagerCannotRaiseTheirOwnTeamsBudget() throws Exception {
        mvc.perform(put("/admin/api/teams/payments/budget")
                        .header("Authorization", "Bearer " + automationToken("tom", List.of("payments-key-managers")))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"limit_usd\":1000000,\"period\":\"month\"}"))
                .andExpect(status().isForbidden());
    }

    private ResultActions roles(String token, String subject, String body) throws Exception {
        return mvc.perform(put("/admin/api/roles/" + subject).header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions key(String token, String team, String models, String budget) throws Exception {
        String body = """
                {"name":"k","team":%s,"models":%s,"budget":{"limit_usd":%s,"period":"month"}}""".formatted(team, models, budget);
        return mvc.perform(post("/admin/api/keys").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
