package dev.warden.gateway.providers.bedrock;

import dev.warden.gateway.http.Watchdog;
import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The AWS event-stream binary framing ({@code application/vnd.amazon.eventstream}) read as events: each frame is
 * total length, headers length, prelude CRC32, headers, payload and message CRC32, all big-endian. A frame becomes an
 * {@link SseEvent} named by its {@code :event-type} header, or {@code exception:<:exception-type>} for an exception
 * frame, with the JSON payload as data. Both CRCs are checked; reads are watched for idleness.
 */
final class EventStreamFrames implements EventStream {
    /** Frames larger than this are a protocol error (the AWS limit is 16 MB). */
    static final int MAX_FRAME = 16 * 1024 * 1024;

    private final InputStream body;
    private final DataInputStream in;
    private final Watchdog.Watch watch;
    private boolean closed;

    EventStreamFrames(InputStream body, Watchdog watchdog, Duration idleTimeout) {
        this.body = body;
        this.in = new DataInputStream(body);
        this.watch = watchdog.watch(idleTimeout.toNanos(), this::close);
    }

    boolean expired() {
        return watch.expired();
    }

    @Override
    public @Nullable SseEvent next() throws IOException {
        byte[] prelude = new byte[12];
        try {
            int first = in.read();
            if (first < 0) {
                watch.stop();
                return null;
            }
            prelude[0] = (byte) first;
            in.readFully(prelude, 1, 11);
            ByteBuffer header = ByteBuffer.wrap(prelude);
            int total = header.getInt();
            int headersLength = header.getInt();
            int preludeCrc = header.getInt();
            if (crc(prelude, 0, 8) != preludeCrc) {
                throw new IOException("event-stream prelude CRC mismatch");
            }
            if (total < 16 || total > MAX_FRAME || headersLength < 0 || headersLength > total - 16) {
                throw new IOException("event-stream frame length " + total + " (expected: 16.." + MAX_FRAME + ")");
            }
            byte[] frame = new byte[total];
            System.arraycopy(prelude, 0, frame, 0, 12);
            in.readFully(frame, 12, total - 12);
            watch.touch();
            if (crc(frame, 0, total - 4) != ByteBuffer.wrap(frame, total - 4, 4).getInt()) {
                throw new IOException("event-stream message CRC mismatch");
            }
            Map<String, String> headers = headers(frame, 12, headersLength);
            String payload = new String(frame, 12 + headersLength, total - 16 - headersLength, StandardCharsets.UTF_8);
            String name = "exception".equals(headers.get(":message-type")) || "error".equals(headers.get(":message-type"))
                    ? "exception:" + headers.getOrDefault(":exception-type", headers.getOrDefault(":error-code", "error"))
                    : headers.getOrDefault(":event-type", "");
            return new SseEvent(name, payload.isEmpty() ? "{}" : payload);
        } catch (EOFException e) {
            throw new IOException("event stream ended inside a frame");
        } catch (IOException e) {
            if (watch.expired()) {
                throw new IOException("provider stream idle for longer than the stream idle timeout");
            }
            throw e;
        }
    }

    /** String headers are read; other header types are skipped by their length. */
    private static Map<String, String> headers(byte[] frame, int offset, int length) throws IOException {
        Map<String, String> headers = new HashMap<>();
        ByteBuffer buffer = ByteBuffer.wrap(frame, offset, length);
        while (buffer.hasRemaining()) {
            byte[] name = new byte[buffer.get() & 0xff];
            buffer.get(name);
            int type = buffer.get();
            switch (type) {
                case 0, 1 -> { }
                case 2 -> buffer.get();
                case 3 -> buffer.getShort();
                case 4 -> buffer.getInt();
                case 5, 8 -> buffer.getLong();
                case 6, 7 -> {
                    byte[] value = new byte[buffer.getShort() & 0xffff];
                    buffer.get(value);
                    if (type == 7) {
                        headers.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
                    }
                }
                case 9 -> buffer.position(buffer.position() + 16);
                default -> throw new IOException("event-stream header type " + type + " (expected: 0..9)");
            }
        }
        return headers;
    }

    private static int crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
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
