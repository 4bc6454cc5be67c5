package dev.warden.sso.testapp;

import dev.warden.sso.audit.LoggingSecurityAuditSink;
import dev.warden.sso.audit.SecurityAuditSink;
import dev.warden.sso.audit.SecurityEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every event (and logs it like the default sink) so tests can assert what the ledger would get. */
public final class RecordingAuditSink implements SecurityAuditSink {

    private final List<SecurityEvent> events = new CopyOnWriteArrayList<>();
    private final LoggingSecurityAuditSink log = new LoggingSecurityAuditSink();

    @Override
    public void record(SecurityEvent event) {
        events.add(event);
        log.record(event);
    }

    public List<SecurityEvent> events() {
        return List.copyOf(events);
    }

    public <T extends SecurityEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public void clear() {
        events.clear();
    }
}
