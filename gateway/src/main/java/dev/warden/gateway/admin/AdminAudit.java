package dev.warden.gateway.admin;

import java.util.Map;

/**
 * Where admin actions are recorded: every change (who, what, before/after summary) and every refused attempt. The
 * gateway's implementation appends them to the audit ledger.
 */
public interface AdminAudit {
    /** Request attribute carrying the authenticated admin actor. */
    String ACTOR = "warden.admin.actor";

    void changed(String actor, String source, String action, String target, Map<String, String> details);

    void denied(String source, String attempted);
}
