package dev.warden.gateway.audit;

import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.Ledger;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Keeps request and response bodies in the ledger, sealed under the data subject's key, when
 * {@code warden.ledger.bodies.capture=sealed}; otherwise does nothing and entries carry digests only.
 *
 * <p>The data subject is the person the traffic belongs to: the virtual key's owner, or the key itself when it has
 * no owner. Erasing that subject ({@code POST /admin/api/erasures}) or the retention period passing deletes the key
 * that sealed the body; the entry and its hash stay, so the chain still verifies.
 */
public final class BodyCapture {
    private final @Nullable Ledger ledger;
    private final int maxBytes;

    private BodyCapture(@Nullable Ledger ledger, int maxBytes) {
        this.ledger = ledger;
        this.maxBytes = maxBytes;
    }

    public static BodyCapture from(WardenProperties.LedgerBodies config, Ledger ledger) {
        return new BodyCapture(config.sealed() ? ledger : null, (int) config.maxBytes().toBytes());
    }

    public boolean enabled() {
        return ledger != null;
    }

    /** Adds the sealed request body (and its subject) to {@code draft}, or notes why it was not kept. */
    void request(Exchange exchange, byte[] body, EntryDraft.Builder draft) {
        seal(exchange, body, body.length, draft, true);
    }

    /** Adds the sealed response body to {@code draft}, or notes why it was not kept. */
    void response(Exchange exchange, byte[] body, EntryDraft.Builder draft) {
        seal(exchange, body, body.length, draft, false);
    }

    /** Adds a streamed answer, as collected by {@link #streamBuffer()}. */
    void response(Exchange exchange, StreamBuffer stream, EntryDraft.Builder draft) {
        seal(exchange, stream.overflowed() ? null : stream.bytes.toByteArray(), stream.total, draft, false);
    }

    private void seal(Exchange exchange, byte @Nullable [] body, long length, EntryDraft.Builder draft,
                      boolean request) {
        Ledger sealer = ledger;
        String subject = subject(exchange);
        if (sealer == null || subject == null) {
            return;
        }
        draft.subject(sealer.subjectRef(subject));
        if (body == null || length > maxBytes) {
            draft.attr(request ? "request_body" : "response_body", "not kept: " + length + " bytes (max-bytes "
                    + maxBytes + ")");
            return;
        }
        if (request) {
            draft.requestBody(sealer.seal(subject, body));
        } else {
            draft.responseBody(sealer.seal(subject, body));
        }
    }

    private static @Nullable String subject(Exchange exchange) {
        VirtualKey key = exchange.find(VirtualKey.ATTRIBUTE);
        if (key == null) {
            return null; // refused before authentication: nobody's data to keep
        }
        return key.owner() != null && !key.owner().isBlank() ? key.owner() : key.id();
    }

    /** A stream's events as they pass, up to the size limit; beyond it only the length is kept. */
    StreamBuffer streamBuffer() {
        return new StreamBuffer(ledger == null ? 0 : maxBytes);
    }

    /** Collects a stream's event data (one event per line) without ever holding more than the limit. */
    static final class StreamBuffer {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long total;

        StreamBuffer(int limit) {
            this.limit = limit;
        }

        void add(String data) {
            if (limit == 0) {
                return;
            }
            byte[] line = data.getBytes(StandardCharsets.UTF_8);
            total += line.length + 1;
            if (total <= limit) {  // past the limit nothing more is kept, and what was kept is dropped at the end
                bytes.write(line, 0, line.length);
                bytes.write('\n');
            }
        }

        boolean overflowed() {
            return total > limit;
        }
    }
}
