package dev.warden.gateway.admin;

import java.util.Map;

/**
 * Where admin actions are recorded: every change (who, what, a summary of the fields); refused attempts are recorded by the SSO audit sink. The
 * gateway's implementation appends them to the audit ledger.
 */
public interface AdminAudit {
    void changed(String actor, String source, String action, String target, Map<String, String> details);
}
