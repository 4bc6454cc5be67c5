package dev.warden.gateway.audit;

import dev.warden.gateway.admin.AdminToken;
import dev.warden.ledger.Actor;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import dev.warden.sso.admintoken.AdminTokenVerifier;
import dev.warden.sso.audit.SecurityAuditSink;
import dev.warden.sso.audit.SecurityEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Connects the SSO module to the gateway: the admin token it checks is the gateway's (hash only), and every
 * login, logout, failed login, admin-token use and refused admin action is an entry in the audit ledger, with the
 * IdP subject and source address — never a token. Recording happens on the request thread; if the ledger cannot
 * take the entry the admin request fails closed.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityAuditConfiguration {

    @Bean
    AdminTokenVerifier adminTokenVerifier(AdminToken token) {
        return new AdminTokenVerifier() {
            @Override
            public boolean matches(String presentedToken) {
                return token.matches(presentedToken);
            }

            @Override
            public boolean configured() {
                return token.enabled(); // no token (not demo, none configured): no sign-in form that cannot work
            }
        };
    }

    @Bean
    SecurityAuditSink ledgerSecurityAuditSink(LedgerRecorder recorder) {
        return event -> recorder.appendOrThrow(switch (event) {
            case SecurityEvent.Login login -> EntryDraft.builder().kind(EntryKind.LOGIN)
                    .actor(Actor.ofUser(login.principal().subject())).source(login.sourceAddress())
                    .decision("login").attr("method", login.principal().method().name().toLowerCase())
                    .attr("issuer", String.valueOf(login.principal().issuer()))
                    .attr("roles", login.principal().roles().toString()).build();
            case SecurityEvent.LoginFailed failed -> EntryDraft.builder().kind(EntryKind.LOGIN)
                    .actor(failed.subject() == null ? null : Actor.ofUser(failed.subject()))
                    .source(failed.sourceAddress()).decision("login_failed")
                    .attr("method", failed.method().name().toLowerCase())
                    .attr("issuer", String.valueOf(failed.issuer())).attr("reason", bounded(failed.reason())).build();
            case SecurityEvent.Logout logout -> EntryDraft.builder().kind(EntryKind.LOGIN)
                    .actor(Actor.ofUser(logout.principal().subject())).source(logout.sourceAddress())
                    .decision("logout").build();
            case SecurityEvent.AdminTokenUsed used -> EntryDraft.builder().kind(EntryKind.LOGIN)
                    .actor(Actor.ofUser("admin-token")).source(used.sourceAddress()).decision("admin_token_used")
                    .attr("request", used.httpMethod() + " " + bounded(used.path())).build();
            case SecurityEvent.AccessDenied denied -> EntryDraft.builder().kind(EntryKind.REJECTION)
                    .actor(Actor.ofUser(denied.principal().subject())).source(denied.sourceAddress())
                    .decision("access_denied").status(403)
                    .attr("permission", String.valueOf(denied.permission()))
                    .attr("team", String.valueOf(denied.team()))
                    .attr("request", denied.httpMethod() + " " + bounded(denied.path()))
                    .attr("reason", bounded(denied.reason())).build();
        });
    }

    private static String bounded(String text) {
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
