package dev.warden.sso.audit;

/**
 * Where security events go. The gateway implements this to append them to the audit ledger; without such a bean the
 * module falls back to {@link LoggingSecurityAuditSink}.
 *
 * <p>Contract: called on the request thread, before the response is committed; may throw to fail the request closed
 * (the caller then sees a 5xx, and for the admin token the request is not served). Never receives secrets.
 */
@FunctionalInterface
public interface SecurityAuditSink {

    void record(SecurityEvent event);
}
