package dev.warden.gateway.surface;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.http.SseReader;
import dev.warden.gateway.pipeline.SseEvent;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

    private static List<SseEvent> read(InputStream in) throws IOException {
        SseReader reader = new SseReader(in);
        List<SseEvent> events = new ArrayList<>();
        SseEvent event;
        while ((event = reader.next()) != null) {
            events.add(event);
        }
        return events;
    }

    @Test
    void readsNamedAndUnnamedEventsCommentsAndCrlf() throws IOException {
        String stream = ": keep-alive\r\nevent: response.created\r\ndata: {\"a\":1}\r\n\r\n"
                + "data: line one\ndata: line two\n\nid: 7\nretry: 10\ndata: [DONE]\n\n";

        List<SseEvent> events = read(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));

        assertThat(events).containsExactly(new SseEvent("response.created", "{\"a\":1}"),
                new SseEvent(null, "line one\nline two"), SseEvent.DONE);
    }

    @Test
    void handlesEventsSplitAcrossReadsAndMultibyteCharacters() throws IOException {
        byte[] bytes = "data: {\"t\":\"héllo wörld ✓\"}\n\ndata: x".getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new InputStream() {
            private int position;

            @Override
            public int read() {
                return position < bytes.length ? bytes[position++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[position++];
                return 1;
            }
        };

        assertThat(read(trickle)).containsExactly(new SseEvent(null, "{\"t\":\"héllo wörld ✓\"}"),
                new SseEvent(null, "x"));
    }

    @Test
    void knowsWhenTheNextEventIsAlreadyBuffered() throws IOException {
        String stream = "data: {\"a\":1}\n\n: comment\n\nevent: x\r\ndata\r\n\r\ndata: partial";
        SseReader reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.hasBufferedEvent()).as("nothing read yet").isFalse();
        assertThat(reader.next()).isEqualTo(new SseEvent(null, "{\"a\":1}"));
        // A comment-only block dispatches nothing; the bare "data" line after it does, ended by CRLF CRLF.
        assertThat(reader.hasBufferedEvent()).isTrue();
        assertThat(reader.next()).isEqualTo(new SseEvent("x", ""));
        // Only an unterminated event is left: next() would have to read on.
        assertThat(reader.hasBufferedEvent()).isFalse();
        assertThat(reader.next()).isEqualTo(new SseEvent(null, "partial"));
        assertThat(reader.next()).isNull();
    }

    @Test
    void aFieldThatOnlyStartsWithDataIsNotData() throws IOException {
        SseReader reader = new SseReader(new ByteArrayInputStream(
                "data: 1\n\ndatabase: x\n\n".getBytes(StandardCharsets.UTF_8)));

        assertThat(reader.next()).isEqualTo(new SseEvent(null, "1"));
        assertThat(reader.hasBufferedEvent()).isFalse();
    }
}
