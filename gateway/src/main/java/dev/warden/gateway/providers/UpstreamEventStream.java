package dev.warden.gateway.providers;

import dev.warden.gateway.http.SseReader;
import dev.warden.gateway.http.Watchdog;
import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A provider's raw server-sent events, read with the idle watchdog: a provider silent for longer than the idle
 * timeout has its connection closed and the read fails. Adapters wrap it to tap usage or translate.
 */
public final class UpstreamEventStream implements EventStream {
    private final InputStream body;
    private final SseReader reader;
    private final Watchdog.Watch watch;
    private boolean closed;

    public UpstreamEventStream(InputStream body, Watchdog watchdog, Duration idleTimeout) {
        this.body = body;
        this.reader = new SseReader(body);
        this.watch = watchdog.watch(idleTimeout.toNanos(), this::close);
    }

    /** Whether the watchdog ended the stream for being idle (so a failed read is a timeout). */
    public boolean expired() {
        return watch.expired();
    }

    @Override
    public @Nullable SseEvent next() throws IOException {
        SseEvent event;
        try {
            event = reader.next();
        } catch (IOException e) {
            if (watch.expired()) {
                throw new IOException("provider stream idle for longer than the stream idle timeout");
            }
            throw e;
        }
        watch.touch();
        if (event == null) {
            watch.stop();
        }
        return event;
    }

    @Override
    public boolean nextIsBuffered() {
        return !closed && reader.hasBufferedEvent();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        watch.stop();
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection is being abandoned either way
        }
    }
}
