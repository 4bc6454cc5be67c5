package dev.warden.sso.audit;

import dev.warden.sso.rbac.WardenPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default sink: one secret-free log line per event, on logger {@code dev.warden.sso.audit}. */
public final class LoggingSecurityAuditSink implements SecurityAuditSink {

    private static final Logger log = LoggerFactory.getLogger("dev.warden.sso.audit");

    @Override
    public void record(SecurityEvent event) {
        switch (event) {
            case SecurityEvent.Login e -> log.info("login subject={} issuer={} method={} grants={} from={}",
                    e.principal().subject(), e.principal().issuer(), e.principal().method(), e.principal().grants(),
                    e.sourceAddress());
            case SecurityEvent.LoginFailed e -> log.warn("login-failed method={} subject={} issuer={} reason=\"{}\" from={}",
                    e.method(), e.subject(), e.issuer(), e.reason(), e.sourceAddress());
            case SecurityEvent.Logout e -> log.info("logout subject={} issuer={} from={}",
                    e.principal().subject(), e.principal().issuer(), e.sourceAddress());
            case SecurityEvent.AdminTokenUsed e -> log.warn("admin-token-used subject={} request=\"{} {}\" from={}",
                    WardenPrincipal.ADMIN_TOKEN_SUBJECT, e.httpMethod(), e.path(), e.sourceAddress());
            case SecurityEvent.AccessDenied e -> log.warn(
                    "access-denied subject={} issuer={} permission={} team={} request=\"{} {}\" reason=\"{}\" from={}",
                    e.principal().subject(), e.principal().issuer(), e.permission(), e.team(), e.httpMethod(),
                    e.path(), e.reason(), e.sourceAddress());
        }
    }
}
