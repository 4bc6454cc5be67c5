package dev.warden.bench.load;

import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The NIO engine's parser must find the same end, status, header and first data line wherever reads split. */
class ResponseParserTest {

    private static final String SSE = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\nX-Warden-Overhead-Ms:  0.75 \r\n\r\n"
            + "9;name=value\r\n: comment\r\n" // a chunk extension and an SSE comment before any data
            + "a\r\ndata: {}\n\n\r\n"
            + "e\r\ndata: [DONE]\n\n\r\n"
            + "0\r\nX-Trailer: 1\r\n\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Feeds the stream in three pieces: up to {@code split} at time 1, then up to the second event at time 2, then the
     * rest at time 3, for every split before the second event. The first {@code data:} must be dated by the piece
     * that completed it, even when it straddles two pieces.
     */
    @Test
    void parsesAChunkedEventStreamSplitAnywhere() throws IOException {
        byte[] all = bytes(SSE);
        int firstData = SSE.indexOf("data:") + "data:".length(); // bytes needed to have seen the whole "data:"
        int second = SSE.indexOf("data: [DONE]");
        for (int split = 0; split <= second; split++) {
            ResponseParser p = new ResponseParser("x-warden-overhead-ms");
            assertEquals(split, p.feed(all, 0, split, 1));
            assertEquals(second - split, p.feed(all, split, second - split, 2));
            assertFalse(p.done(), "split " + split);
            assertEquals(all.length - second, p.feed(all, second, all.length - second, 3));
            assertTrue(p.done(), "split " + split);
            assertEquals(200, p.status());
            assertEquals(0.75, p.overheadMs());
            assertEquals(split >= firstData ? 1 : 2, p.firstDataNanos(), "split " + split);
            assertEquals(3, p.endNanos());
            assertFalse(p.closeAfter());
        }
        ResponseParser whole = new ResponseParser("x-warden-overhead-ms");
        assertEquals(all.length, whole.feed(all, 0, all.length, 7));
        assertTrue(whole.done());
        assertEquals(7, whole.endNanos());
    }

    @Test
    void parsesOneByteAtATimeAndStopsAtTheEndOfTheResponse() throws IOException {
        String response = "HTTP/1.1 201 Created\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
        byte[] all = bytes(response + "HTTP/1.1 200 OK\r\n"); // what follows is not this response's
        ResponseParser p = new ResponseParser("x-warden-overhead-ms");
        int used = 0;
        for (int i = 0; i < all.length && !p.done(); i++) {
            used += p.feed(all, i, 1, i);
        }
        assertTrue(p.done());
        assertEquals(response.length(), used);
        assertEquals(201, p.status());
        assertTrue(p.closeAfter());
        assertTrue(Double.isNaN(p.overheadMs()));
        assertEquals(p.endNanos(), p.firstDataNanos(), "not an event stream: TTFT is the end");
        assertEquals(response.length() - 1, p.endNanos());
    }

    @Test
    void aBodyWithoutLengthRunsToTheEndOfTheConnection() throws IOException {
        byte[] all = bytes("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: x\n\n");
        ResponseParser p = new ResponseParser("x-warden-overhead-ms");
        assertEquals(all.length, p.feed(all, 0, all.length, 5));
        assertFalse(p.done());
        p.eof(9);
        assertTrue(p.done());
        assertEquals(5, p.firstDataNanos());
        assertEquals(9, p.endNanos());
        assertTrue(p.closeAfter());
    }

    @Test
    void resetsForTheNextResponseOnTheConnection() throws IOException {
        ResponseParser p = new ResponseParser("x-warden-overhead-ms");
        byte[] a = bytes("HTTP/1.1 500 Oops\r\nContent-Length: 0\r\nx-warden-overhead-ms: 2\r\n\r\n");
        p.feed(a, 0, a.length, 1);
        assertTrue(p.done());
        assertEquals(500, p.status());
        p.reset();
        byte[] b = bytes("HTTP/1.1 204 No Content\r\n\r\n");
        p.feed(b, 0, b.length, 2);
        assertTrue(p.done(), "204 has no body");
        assertEquals(204, p.status());
        assertTrue(Double.isNaN(p.overheadMs()));
    }

    @Test
    void failsOnTruncatedOrMalformedResponses() throws IOException {
        ResponseParser p = new ResponseParser("x-warden-overhead-ms");
        byte[] early = bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
        p.feed(early, 0, early.length, 1);
        assertThrows(EOFException.class, () -> p.eof(2));

        ResponseParser q = new ResponseParser("x-warden-overhead-ms");
        assertThrows(EOFException.class, () -> q.eof(1), "closed before a status line");
        byte[] junk = bytes("nope\r\n");
        assertThrows(EOFException.class, () -> q.feed(junk, 0, junk.length, 1));

        ResponseParser r = new ResponseParser("x-warden-overhead-ms");
        byte[] badChunk = bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
        assertThrows(NumberFormatException.class, () -> r.feed(badChunk, 0, badChunk.length, 1));

        ResponseParser s = new ResponseParser("x-warden-overhead-ms");
        byte[] longLine = bytes("HTTP/1.1 200 OK\r\nX: " + "a".repeat(17_000) + "\r\n\r\n");
        assertThrows(IOException.class, () -> s.feed(longLine, 0, longLine.length, 1));
    }
}
