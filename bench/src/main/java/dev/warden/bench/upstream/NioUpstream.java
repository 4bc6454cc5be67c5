package dev.warden.bench.upstream;

import dev.warden.bench.lag.LoopLagMeter;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The default upstream engine: one {@code java.nio} event loop thread accepts, reads, answers and times every
 * connection; {@code --latency-ms} and {@code --chunk-delay-ms} are timers on that loop, not sleeping threads, so a
 * request costs no thread hand-off at all. Answers are the same bytes as {@link ThreadedUpstream}'s, written the same
 * way: a plain answer in one write, a stream as its headers, then one write per event, then the usage event, the
 * {@code [DONE]} event and the last chunk back to back. Frames are built once, not per request.
 *
 * <p>Timers have the selector's resolution: they fire after their delay, up to ~1 ms late.
 */
final class NioUpstream implements FakeUpstream.Server {

    private static final int MAX_REQUEST = 16 * 1024 * 1024;
    private static final int MAX_HEADERS = 64 * 1024;
    static final String STATS_PATH = "/stats";

    private final FakeUpstream.Options options;
    private final ServerSocketChannel server;
    private final Selector selector;
    private final AtomicLong served = new AtomicLong();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<Client> clients = new ArrayList<>();
    private final long latencyNanos;
    private final long chunkDelayNanos;
    private final LoopLagMeter lagMeter = new LoopLagMeter(System.nanoTime());
    /**
     * Time between two consecutive requests (µs), for {@code /stats}: its maximum is the longest silence. A gateway
     * that holds requests before forwarding them shows it here; one that holds the answers does not.
     */
    private final org.HdrHistogram.SingleWriterRecorder requestGaps = new org.HdrHistogram.SingleWriterRecorder(3);
    private long lastRequest = System.nanoTime();

    private final ByteBuffer completion;
    private final ByteBuffer models;
    private final ByteBuffer embedding;
    private final ByteBuffer notFound;
    private final ByteBuffer streamHead;
    /** The stream's events framed as chunks: content events, the finish event, then the usage event. */
    private final ByteBuffer[] eventChunks;
    private final ByteBuffer doneChunk;
    private final ByteBuffer lastChunk;

    private long timerSequence;
    private volatile boolean closed;
    private Thread loop;

    NioUpstream(FakeUpstream.Options options) throws IOException {
        this.options = options;
        this.latencyNanos = options.latency().toNanos();
        this.chunkDelayNanos = options.chunkDelay().toNanos();
        this.completion = direct(Answers.response(200, "application/json", Answers.completionBody(options.chunks())));
        this.models = direct(Answers.response(200, "application/json", Answers.MODELS));
        this.embedding = direct(Answers.response(200, "application/json", Answers.EMBEDDING));
        this.notFound = direct(Answers.response(404, "application/json", Answers.NOT_FOUND));
        this.streamHead = direct(Answers.STREAM_HEAD);
        byte[][] events = Answers.streamEvents(options.chunks());
        this.eventChunks = new ByteBuffer[events.length];
        for (int i = 0; i < events.length; i++) {
            eventChunks[i] = direct(Answers.chunk(events[i]));
        }
        this.doneChunk = direct(Answers.chunk(Answers.DONE));
        this.lastChunk = direct(Answers.LAST_CHUNK);
        this.selector = Selector.open();
        this.server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 4096);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            server.close();
            selector.close();
            throw e;
        }
    }

    /**
     * {@code GET /stats}: this loop's lag and iteration work, and the gaps between requests, since the previous call,
     * then reset; each a line
     * {@code <name> <HdrHistogram, compressed, base64>} (µs). For the harness's stall attribution: it asks once a
     * second. Parsed by {@link FakeUpstream#stats}.
     */
    private byte[] stats() {
        return ("lag " + encode(lagMeter.lag()) + "\nbusy " + encode(lagMeter.busy()) + "\ngap "
                + encode(requestGaps.getIntervalHistogram()) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String encode(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n));
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
    }

    @Override
    public void start() {
        loop = Thread.ofPlatform().daemon().name("upstream-loop").start(this::run);
    }

    @Override
    public int port() {
        return server.socket().getLocalPort();
    }

    @Override
    public long served() {
        return served.get();
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (loop != null && loop != Thread.currentThread()) {
            try {
                loop.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else if (loop == null) {
            closeQuietly();
        }
    }

    private void run() {
        try {
            while (!closed) {
                Timer first = timers.peek();
                long now = System.nanoTime();
                // Never past the lag meter's heartbeat: an idle loop wakes every millisecond, a busy one far more often.
                long wait = lagMeter.beforeWait(now);
                if (first != null) {
                    wait = Math.min(wait, first.deadline - now);
                }
                if (wait <= 0) {
                    selector.selectNow();
                } else {
                    selector.select(LoopLagMeter.selectMillis(wait)); // rounded up: never before the deadline
                }
                lagMeter.afterWait(System.nanoTime());
                for (SelectionKey key : selector.selectedKeys()) {
                    ready(key);
                }
                selector.selectedKeys().clear();
                now = System.nanoTime();
                while ((first = timers.peek()) != null && first.deadline <= now) {
                    timers.poll().action.run();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                System.err.println("upstream: event loop failed: " + e);
            }
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        for (Client c : List.copyOf(clients)) {
            c.close();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    private void ready(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        Client c = (Client) key.attachment();
        try {
            if (key.isWritable()) {
                c.flush();
            }
            if (key.isValid() && key.isReadable()) {
                c.read();
            }
        } catch (IOException e) {
            c.close(); // the client went away (reset, broken pipe): the normal end of a connection
        } catch (RuntimeException e) {
            System.err.println("upstream: " + e);
            c.close();
        }
    }

    private void accept() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("upstream: accept failed: " + e);
                }
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Client c = new Client(ch);
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                clients.add(c);
            } catch (IOException e) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
        }
    }

    private void schedule(long delayNanos, Runnable action) {
        timers.add(new Timer(System.nanoTime() + delayNanos, timerSequence++, action));
    }

    private record Timer(long deadline, long sequence, Runnable action) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** One client connection: its unparsed input, its unsent output, and whether an answer is under way. */
    private final class Client {
        final SocketChannel channel;
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(16 * 1024);
        final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        /** An answer is under way (waiting on a timer): later requests wait, as HTTP/1.1 orders answers. */
        boolean busy;
        boolean closeWhenFlushed;
        boolean closed;

        Client(SocketChannel channel) {
            this.channel = channel;
        }

        void read() throws IOException {
            if (!in.hasRemaining()) {
                if (in.capacity() >= MAX_REQUEST) {
                    throw new IOException("request larger than " + MAX_REQUEST + " bytes");
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.min(MAX_REQUEST, in.capacity() * 2));
                in.flip();
                bigger.put(in);
                in = bigger;
            }
            int n = channel.read(in);
            if (n < 0) {
                close();
                return;
            }
            if (n > 0 && !busy) {
                serve();
            }
        }

        /** Answers every complete request in the input, in order, until one has to wait. */
        void serve() {
            while (!busy && !closed && !closeWhenFlushed) {
                int used = request();
                if (used <= 0) {
                    return;
                }
                int left = in.position() - used;
                System.arraycopy(in.array(), used, in.array(), 0, left);
                in.position(left);
            }
        }

        /** Parses and answers one request; returns the bytes it took, or 0 if it has not fully arrived. */
        private int request() {
            byte[] a = in.array();
            int len = in.position();
            int i = 0;
            while (i < len && (a[i] == '\r' || a[i] == '\n')) {
                i++; // empty lines before a request line are skipped, as the threaded engine does
            }
            int requestLineStart = i;
            int lineStart = i;
            int requestLineEnd = -1;
            int contentLength = 0;
            boolean close = false;
            int bodyStart = -1;
            while (i < len) {
                if (a[i] != '\n') {
                    i++;
                    continue;
                }
                int lineEnd = i > lineStart && a[i - 1] == '\r' ? i - 1 : i;
                i++;
                if (requestLineEnd < 0) {
                    requestLineEnd = lineEnd;
                    lineStart = i;
                    continue;
                }
                if (lineEnd == lineStart) {
                    bodyStart = i;
                    break;
                }
                int colon = indexOf(a, lineStart, lineEnd, (byte) ':');
                if (colon > lineStart) {
                    String name = ascii(a, lineStart, colon).trim();
                    if (name.equalsIgnoreCase("content-length")) {
                        contentLength = Integer.parseInt(ascii(a, colon + 1, lineEnd).trim());
                    } else if (name.equalsIgnoreCase("connection")) {
                        close = ascii(a, colon + 1, lineEnd).trim().equalsIgnoreCase("close");
                    }
                }
                lineStart = i;
            }
            if (bodyStart < 0) {
                if (len > MAX_HEADERS) {
                    throw new IllegalStateException("request headers longer than " + MAX_HEADERS + " bytes");
                }
                return 0;
            }
            if (len - bodyStart < contentLength) {
                return 0;
            }
            served.incrementAndGet();
            long now = System.nanoTime();
            requestGaps.recordValue(Math.max(0, (now - lastRequest) / 1000));
            lastRequest = now;
            int sp = indexOf(a, requestLineStart, requestLineEnd, (byte) ' ');
            int sp2 = sp < 0 ? -1 : indexOf(a, sp + 1, requestLineEnd, (byte) ' ');
            answer(a, sp < 0 ? requestLineStart : sp + 1, sp2 < 0 ? requestLineEnd : sp2, bodyStart, contentLength);
            if (close) {
                closeWhenFlushed = true;
                if (!busy) {
                    closeIfFlushed();
                }
            }
            return bodyStart + contentLength;
        }

        private void answer(byte[] a, int pathStart, int pathEnd, int bodyStart, int bodyLength) {
            if (endsWith(a, pathStart, pathEnd, "/models")) {
                write(models);
            } else if (endsWith(a, pathStart, pathEnd, STATS_PATH)) {
                write(ByteBuffer.wrap(Answers.response(200, "text/plain", stats())));
            } else if (endsWith(a, pathStart, pathEnd, "/embeddings")) {
                after(latencyNanos, () -> {
                    write(embedding);
                    done();
                });
            } else if (endsWith(a, pathStart, pathEnd, "/chat/completions")) {
                if (Answers.wantsStream(a, bodyStart, bodyLength)) {
                    boolean includeUsage = Answers.contains(a, bodyStart, bodyLength, "include_usage");
                    write(streamHead);
                    after(latencyNanos, () -> events(0, includeUsage));
                } else {
                    after(latencyNanos, () -> {
                        write(completion);
                        done();
                    });
                }
            } else {
                write(notFound);
            }
        }

        /** Runs {@code action} now, or on a timer (the answer is then under way: later requests wait). */
        private void after(long delayNanos, Runnable action) {
            if (delayNanos == 0) {
                action.run();
                return;
            }
            busy = true;
            schedule(delayNanos, () -> {
                if (!closed) {
                    action.run();
                }
            });
        }

        /** Writes the stream's events from {@code i}; between content events, waits the chunk delay. */
        private void events(int i, boolean includeUsage) {
            int last = eventChunks.length - 1; // the usage event
            while (true) {
                write(eventChunks[i]);
                i++;
                if (i == last) {
                    break;
                }
                if (chunkDelayNanos > 0) {
                    int next = i;
                    after(chunkDelayNanos, () -> events(next, includeUsage));
                    return;
                }
            }
            if (includeUsage) {
                write(eventChunks[last]);
            }
            write(doneChunk);
            write(lastChunk);
            done();
        }

        /** An answer that waited on a timer is complete: on to the next request, if one has arrived. */
        private void done() {
            if (!busy) {
                return; // answered inline: serve() carries on
            }
            busy = false;
            if (closeWhenFlushed) {
                closeIfFlushed();
            } else {
                serve();
            }
        }

        private void write(ByteBuffer template) {
            if (closed) {
                return;
            }
            ByteBuffer b = template.duplicate();
            if (out.isEmpty()) {
                try {
                    channel.write(b);
                } catch (IOException e) {
                    close();
                    return;
                }
                if (!b.hasRemaining()) {
                    return;
                }
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
            out.add(b);
        }

        void flush() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer b = out.peek();
                channel.write(b);
                if (b.hasRemaining()) {
                    return;
                }
                out.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
            closeIfFlushed();
        }

        private void closeIfFlushed() {
            if (closeWhenFlushed && !busy && out.isEmpty()) {
                close();
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            clients.remove(this);
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean endsWith(byte[] a, int from, int to, String suffix) {
        int n = suffix.length();
        if (to - from < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (a[to - n + i] != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] a, int from, int to) {
        return new String(a, from, to - from, StandardCharsets.ISO_8859_1);
    }
}
