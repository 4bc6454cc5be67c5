package dev.warden.gateway.surface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.providers.TappedEventStream;
import dev.warden.gateway.providers.UpstreamEventStream;
import dev.warden.gateway.http.Watchdog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** How streamed answers are written to the caller: flushed as soon as nothing more is at hand, never later. */
class StreamRelayTest {

    /** Records what was on the wire at each flush. */
    private static final class Wire extends ByteArrayOutputStream {
        final List<String> flushes = new ArrayList<>();

        @Override
        public void flush() {
            flushes.add(toString(StandardCharsets.UTF_8));
        }
    }

    /** An upstream body that arrives in the given pieces, one read each; records how many reads were made. */
    private static final class Arrivals extends InputStream {
        private final List<byte[]> pieces = new ArrayList<>();
        int reads;

        Arrivals(String... pieces) {
            for (String p : pieces) {
                this.pieces.add(p.getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            if (pieces.isEmpty()) {
                return -1;
            }
            byte[] piece = pieces.remove(0);
            System.arraycopy(piece, 0, b, off, piece.length);
            return piece.length;
        }
    }

    private static final String ONE = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
    private static final String TWO = "data: {\"choices\":[{\"delta\":{\"content\":\"b\"}}]}\n\n";
    private static final String STOP = "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    private static final String USAGE = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1}}\n\n";
    private static final String DONE = "data: [DONE]\n\n";

    private static UpstreamEventStream upstream(InputStream body) {
        return new UpstreamEventStream(body, new Watchdog(), Duration.ofSeconds(30));
    }

    private static Wire relay(EventStream events) throws IOException {
        Wire wire = new Wire();
        SurfaceHandler.relay(events, wire, new StreamTerminator(Surface.CHAT_COMPLETIONS, "m"), "req_test");
        return wire;
    }

    @Test
    void eventsThatArriveTogetherLeaveInOneWrite() throws IOException {
        Wire wire = relay(upstream(new Arrivals(ONE + TWO + STOP + DONE)));

        assertThat(wire.flushes).hasSize(2); // once the last event is out, once at the end (nothing new)
        assertThat(wire.flushes.get(0)).contains("\"a\"", "\"b\"", "[DONE]");
    }

    @Test
    void anEventIsFlushedBeforeTheGatewayWaitsForTheNext() throws IOException {
        Arrivals body = new Arrivals(ONE, TWO + STOP, DONE);
        Wire wire = relay(upstream(body));

        assertThat(wire.flushes).hasSizeGreaterThanOrEqualTo(3);
        assertThat(wire.flushes.get(0)).contains("\"a\"").doesNotContain("\"b\"");
        assertThat(wire.flushes.get(1)).contains("\"b\"", "stop").doesNotContain("[DONE]");
        assertThat(wire.flushes.get(2)).contains("[DONE]");
    }

    @Test
    void anEventTheTapDropsDoesNotHoldBackTheOneBeforeIt() throws IOException {
        // The usage chunk is dropped; the event before it must still be flushed before waiting for [DONE].
        TappedEventStream tapped = new TappedEventStream(upstream(new Arrivals(ONE + STOP + USAGE, DONE)),
                (SseEvent e) -> !e.data().contains("\"usage\""));
        Wire wire = relay(tapped);

        assertThat(wire.flushes.get(0)).contains("\"a\"", "stop").doesNotContain("usage").doesNotContain("[DONE]");
        assertThat(wire.toString(StandardCharsets.UTF_8)).doesNotContain("usage").endsWith("data: [DONE]\n\n");
    }

    @Test
    void aStreamThatBreaksAfterBufferedEventsStillEndsInTheCallersProtocol() throws IOException {
        InputStream breaks = new SequenceInputStream(new Arrivals(ONE + TWO), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        });
        Wire wire = relay(upstream(breaks));

        String all = wire.toString(StandardCharsets.UTF_8);
        assertThat(all).contains("\"a\"", "\"b\"", "quote request id req_test");
        assertThat(wire.flushes.get(wire.flushes.size() - 1)).isEqualTo(all);
    }

    @Test
    void aStreamThatSaysNothingIsBufferedIsFlushedAfterEveryEvent() throws IOException {
        EventStream unknown = new EventStream() {
            private final List<SseEvent> events = new ArrayList<>(List.of(new SseEvent(null, "{\"x\":1}"),
                    new SseEvent(null, "{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}"), SseEvent.DONE));

            @Override
            public @Nullable SseEvent next() {
                return events.isEmpty() ? null : events.remove(0);
            }

            @Override
            public void close() {
            }
        };
        Wire wire = relay(unknown);

        assertThat(wire.flushes).hasSize(4); // three events, then the end
    }
}
