package dev.warden.bench.load;

import dev.warden.bench.lag.LoopLagMeter;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default engine: the open-loop schedule of {@link LoadGenerator} on {@code java.nio} event loops instead of one
 * blocking thread per connection. Per loop:
 *
 * <ul>
 *   <li>an <b>event-loop thread</b> owns the selector and every connection's life: connects, reads and parses the
 *       responses ({@link ResponseParser}), records them, reconnects, times out; when a response completes and a
 *       request is already due (queued behind busy connections), it sends that request on the connection at once;</li>
 *   <li>a <b>pacer thread</b> sleeps until the next request falls due and writes it on the first idle connection
 *       (a non-blocking write of a few hundred bytes, which the kernel takes whole).</li>
 * </ul>
 *
 * <p>Why two threads and not one: {@link Selector#select(long)} waits in whole milliseconds (epoll_wait), and at
 * 5,000 req/s requests fall due every 200 µs. A single thread must then either oversleep a due time by up to 1 ms, or
 * sleep blind to the sockets between sends and read responses late; both inflate every latency it measures (see
 * {@code -Dwarden.bench.pacing=loop}, kept for that comparison). With the pacer, the selector thread sleeps until a
 * response arrives and the pacer until a request is due: neither wakes the other, so there is no thread hand-off per
 * request, which is what the threaded engine spends most of its CPU on. The two meet only on a lock held for a few
 * instructions (the queue of idle connections and the next request index); the rare paths (a write that did not
 * complete, a connection to open) are handed to the event loop through a queue and {@link Selector#wakeup()}.
 *
 * <p>With {@code threads} loops, loop {@code k} takes requests {@code k, k + threads, ...} and its share of the
 * connections; each is then an open loop at {@code rate / threads}.
 */
final class NioLoadGenerator {

    static final String OVERHEAD_HEADER = "x-warden-overhead-ms";
    /** {@code thread} (default) or {@code loop}: who sends requests when they fall due. See the class comment. */
    static final String PACING_PROPERTY = "warden.bench.pacing";

    private final LoadSpec spec;
    private final ByteBuffer request;
    private final boolean pacerThread;
    private long start;
    private long period;
    private long drainDeadline;
    private long hardDeadline;
    private Recording recording;

    NioLoadGenerator(LoadSpec spec) {
        this.spec = spec;
        byte[] bytes = spec.requestBytes();
        this.request = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer();
        String pacing = System.getProperty(PACING_PROPERTY, "thread");
        if (!pacing.equals("thread") && !pacing.equals("loop")) {
            throw new IllegalArgumentException(PACING_PROPERTY + ": " + pacing + " (expected: thread, loop)");
        }
        this.pacerThread = pacing.equals("thread");
    }

    LoadResult execute(LoadGenerator.IntervalListener listener, Duration every, LoadGenerator.SecondListener seconds,
                       Runnable atMeasureStart) throws InterruptedException {
        period = 1_000_000_000L / spec.rate();
        long leadIn = spec.leadInRequests(period);
        long total = leadIn + Math.max(1, spec.duration().toNanos() / period);
        int n = spec.threads();
        Loop[] loops = new Loop[n];
        try {
            for (int k = 0; k < n; k++) {
                int connections = spec.connections() / n + (k < spec.connections() % n ? 1 : 0);
                loops[k] = new Loop(k, n, total > k ? (total - k + n - 1) / n : 0, connections);
            }
        } catch (IOException e) {
            for (Loop loop : loops) {
                if (loop != null) {
                    loop.closeAll();
                }
            }
            throw new IllegalStateException("cannot open a selector: " + e, e);
        }
        start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        long measureFrom = start + leadIn * period;
        drainDeadline = measureFrom + spec.duration().toNanos() + spec.drain().toNanos();
        // In-flight requests may finish (or time out) after the drain deadline, as the threaded engine's workers do.
        hardDeadline = drainDeadline + spec.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        recording = new Recording(start, measureFrom);
        for (Loop loop : loops) {
            recording.loop(loop.lagMeter);
            loop.start();
        }
        recording.await(() -> {
            for (Loop loop : loops) {
                if (!loop.finished) {
                    return false;
                }
            }
            return true;
        }, drainDeadline, every, listener, seconds, atMeasureStart);
        for (Loop loop : loops) {
            loop.join();
            for (long j = loop.claimed(); j < loop.count; j++) {
                // Never sent within the run: they weigh on the tail with the wait they already had.
                recording.unsent(loop.intended(j), drainDeadline);
            }
        }
        return recording.result(total - leadIn);
    }

    /** One event loop, its pacer, its connections and its share of the schedule. */
    private final class Loop {
        final int k;
        final int stride;
        /** Requests of this loop: global indexes k, k + stride, ... below the run's total. */
        final long count;
        final Selector selector;
        final Conn[] conns;
        final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
        final ConcurrentLinkedQueue<HandOver> handOvers = new ConcurrentLinkedQueue<>();
        final LoopLagMeter lagMeter = new LoopLagMeter(System.nanoTime());

        final ReentrantLock lock = new ReentrantLock();
        /** Connections ready for a request, in the order they became ready (guarded by lock). */
        final ArrayDeque<Conn> idle = new ArrayDeque<>();
        /** The next request to send, as an index into this loop's share (guarded by lock). */
        long next;
        /** No more requests are sent: the drain deadline passed or the loop ended (guarded by lock). */
        boolean stopSending;
        /**
         * The connection {@link #release} is putting back, so that {@link #claim} can tell a request that waited for
         * it (the idle queue was empty) from one that had an idle connection (guarded by lock).
         */
        Conn lastReleased;

        /** Requests that have completed or failed; the event loop's own. */
        long done;
        volatile boolean finished;
        Thread eventLoop;
        Thread pacer;

        Loop(int k, int stride, long count, int connections) throws IOException {
            this.k = k;
            this.stride = stride;
            this.count = count;
            this.selector = Selector.open();
            this.conns = new Conn[connections];
            for (int i = 0; i < connections; i++) {
                conns[i] = new Conn();
            }
        }

        long intended(long j) {
            return start + (k + j * stride) * period;
        }

        void start() {
            eventLoop = Thread.ofPlatform().daemon().name("load-loop-" + k).start(this::run);
            if (pacerThread) {
                pacer = Thread.ofPlatform().daemon().name("load-pacer-" + k).start(this::pace);
            }
        }

        void join() throws InterruptedException {
            long wait = Math.max(0, hardDeadline - System.nanoTime()) / 1_000_000 + 1000;
            eventLoop.join(wait);
            if (pacer != null) {
                pacer.join(1000);
            }
        }

        long claimed() {
            lock.lock();
            try {
                stopSending = true;
                return next;
            } finally {
                lock.unlock();
            }
        }

        // ---- the pacer thread --------------------------------------------------------------------------------

        private void pace() {
            while (true) {
                Conn c;
                long wait;
                SocketChannel channel = null;
                int epoch = 0;
                long intended = 0;
                long connWait = 0;
                boolean connected = false;
                lock.lock();
                try {
                    long now = System.nanoTime();
                    if (stopSending || next >= count) {
                        return;
                    }
                    if (now > drainDeadline) {
                        stopSending = true; // what is left unclaimed is counted as unsent
                        selector.wakeup();
                        return;
                    }
                    wait = intended(next) - now;
                    c = wait <= 0 ? claim(now) : null;
                    if (c != null) {
                        // Read here: once the request is in flight the event loop may close and replace the channel
                        // (bumping the epoch), and this thread must then write to the old one, not to null.
                        channel = c.channel;
                        epoch = c.epoch;
                        connected = c.connected;
                        intended = c.intended;
                        connWait = c.connWait;
                        if (connected) {
                            // Written here, before the request is: the event loop must not record it again.
                            c.sendLagDue = false;
                        }
                    }
                } finally {
                    lock.unlock();
                }
                if (c != null) {
                    sendFromPacer(c, channel, epoch, connected, intended, connWait);
                } else if (wait > 0) {
                    LockSupport.parkNanos(wait);
                } else {
                    // Due, but every connection is busy: the event loop sends queued requests as connections free
                    // up. Look again after one period (the next request falls due then anyway).
                    LockSupport.parkNanos(period);
                }
            }
        }

        private void sendFromPacer(Conn c, SocketChannel channel, int epoch, boolean connected, long intended,
                                   long connWait) {
            if (!connected) {
                post(new HandOver(c, epoch, null, null)); // the event loop opens connections
                return;
            }
            ByteBuffer buffer = request.duplicate();
            try {
                channel.write(buffer);
            } catch (IOException e) {
                post(new HandOver(c, epoch, null, e));
                return;
            }
            recording.sent(intended, connWait, System.nanoTime());
            if (buffer.hasRemaining()) {
                post(new HandOver(c, epoch, buffer, null));
            }
        }

        private void post(HandOver h) {
            handOvers.add(h);
            selector.wakeup();
        }

        // ---- shared by both threads, under the lock -------------------------------------------------------------

        /** Takes the next request for the first idle connection, if it is due and one is idle. Holds the lock. */
        private Conn claim(long now) {
            if (stopSending || next >= count || intended(next) > now) {
                return null;
            }
            boolean waitedForOne = idle.size() == 1 && lastReleased == idle.peekFirst();
            Conn c = idle.pollFirst();
            if (c != null) {
                // A due request that found no idle connection until this one was released waited for it: that wait
                // is the target's (its connections were busy), not the generator's lateness.
                long connWait = waitedForOne ? Math.max(0, now - intended(next)) : 0;
                assign(c, next++, now, connWait);
            }
            return c;
        }

        private void assign(Conn c, long j, long now, long connWait) {
            c.intended = intended(j);
            c.connWait = connWait;
            c.reusable = c.connected; // an existing keep-alive connection may have been closed: retry once
            c.retried = false;
            c.sendLagDue = true;
            c.lastActivity = now;
            c.inFlight = true; // volatile: publishes the fields above to the event loop
        }

        // ---- the event loop -------------------------------------------------------------------------------------

        private void run() {
            try {
                long now = System.nanoTime();
                for (Conn c : conns) {
                    connect(c, now);
                }
                long nextScan = now;
                while (true) {
                    now = System.nanoTime();
                    if (now >= nextScan) {
                        scanTimeouts(now);
                        nextScan = now + TimeUnit.MILLISECONDS.toNanos(20);
                        if (endOfRun(now)) {
                            return;
                        }
                    }
                    if (!pacerThread) {
                        sendDue(now);
                    }
                    waitForEvents(now, nextScan);
                    now = System.nanoTime();
                    HandOver h;
                    while ((h = handOvers.poll()) != null) {
                        handOver(h, now);
                    }
                    for (SelectionKey key : selector.selectedKeys()) {
                        ready(key, now);
                    }
                    selector.selectedKeys().clear();
                    if (done >= count && endOfRun(now)) {
                        return;
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("load: event loop " + k + " failed: " + e);
                e.printStackTrace();
            } finally {
                lock.lock();
                try {
                    stopSending = true;
                } finally {
                    lock.unlock();
                }
                if (pacer != null) {
                    LockSupport.unpark(pacer);
                }
                closeAll();
                finished = true;
            }
        }

        private void waitForEvents(long now, long nextScan) throws IOException {
            long heartbeat = lagMeter.beforeWait(now);
            try {
                waitForEvents(now, nextScan, heartbeat);
            } finally {
                lagMeter.afterWait(System.nanoTime());
            }
        }

        private void waitForEvents(long now, long nextScan, long heartbeat) throws IOException {
            // Never past the lag meter's heartbeat: at load the sockets wake this loop far more often anyway.
            long scanMillis = LoopLagMeter.selectMillis(Math.min(nextScan - now, heartbeat));
            if (pacerThread) {
                selector.select(scanMillis); // the pacer sends; this thread only waits for the sockets
                return;
            }
            long due = Long.MAX_VALUE;
            lock.lock();
            try {
                if (!stopSending && next < count && !idle.isEmpty()) {
                    due = intended(next);
                }
            } finally {
                lock.unlock();
            }
            long wait = due == Long.MAX_VALUE ? Long.MAX_VALUE : due - now;
            if (wait <= 0) {
                selector.selectNow();
            } else if (wait < 1_000_000) {
                // Less than the selector's 1 ms resolution: sleep blind to the sockets, then poll.
                LockSupport.parkNanos(wait);
                selector.selectNow();
            } else {
                selector.select(Math.min(scanMillis, wait / 1_000_000)); // rounded down: not later than due
            }
        }

        /** Loop pacing only: sends every request that has fallen due while a connection is idle. */
        private void sendDue(long now) {
            while (true) {
                Conn c;
                lock.lock();
                try {
                    if (now > drainDeadline) {
                        stopSending = true;
                    }
                    c = claim(now);
                } finally {
                    lock.unlock();
                }
                if (c == null) {
                    return;
                }
                send(c, now);
            }
        }

        /** The run is over for this loop: everything finished, or the drain (or hard) deadline passed. */
        private boolean endOfRun(long now) {
            long claimed;
            lock.lock();
            try {
                if (now > drainDeadline) {
                    stopSending = true;
                }
                claimed = next;
                if (done >= count) {
                    stopSending = true;
                    return true;
                }
                if (!stopSending) {
                    return false;
                }
            } finally {
                lock.unlock();
            }
            if (done >= claimed) {
                return true; // nothing in flight any more
            }
            if (now > hardDeadline) {
                for (Conn c : conns) {
                    if (c.inFlight) {
                        fail(c, new SocketTimeoutException("still in flight at the end of the run"), now);
                    }
                }
                return true;
            }
            return false;
        }

        private void handOver(HandOver h, long now) {
            Conn c = h.conn;
            if (h.epoch != c.epoch || !c.inFlight) {
                return; // the event loop has already closed that connection and dealt with its request
            }
            if (h.failure != null) {
                onFailure(c, h.failure, now);
            } else if (h.rest != null) {
                c.pendingWrite = h.rest;
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else {
                send(c, now); // not connected: connect, then send
            }
        }

        /** Sends the assigned request on {@code c} from the event loop. */
        private void send(Conn c, long now) {
            if (!c.connected) {
                if (c.channel == null) {
                    connect(c, now);
                }
                return; // sent once connected
            }
            ByteBuffer buffer = request.duplicate();
            try {
                c.channel.write(buffer);
            } catch (IOException e) {
                fail(c, e, now);
                return;
            }
            if (c.sendLagDue) {
                c.sendLagDue = false; // once per request: a retry on a new connection is not a new request
                recording.sent(c.intended, c.connWait, System.nanoTime());
            }
            if (buffer.hasRemaining()) {
                c.pendingWrite = buffer;
                c.key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            }
        }

        private void connect(Conn c, long now) {
            try {
                SocketChannel ch = SocketChannel.open();
                c.channel = ch;
                c.connected = false;
                c.connectStarted = now;
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                boolean connected = ch.connect(spec.address());
                c.key = ch.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
                if (connected) {
                    connected(c, now);
                }
            } catch (IOException e) {
                connectFailed(c, e, now);
            }
        }

        private void connected(Conn c, long now) {
            c.connected = true;
            c.parser.reset();
            c.key.interestOps(SelectionKey.OP_READ);
            if (c.inFlight) {
                send(c, now);
            } else {
                release(c, now);
            }
        }

        private void connectFailed(Conn c, IOException e, long now) {
            closeChannel(c);
            if (c.inFlight) {
                complete(c);
                recording.failure(c.intended, now, Recording.kind(e));
            }
            // Not connected: whoever takes it next tries again. Not claimed here, so that a target refusing
            // connections synchronously cannot recurse through the whole backlog.
            lock.lock();
            try {
                idle.addLast(c);
            } finally {
                lock.unlock();
            }
        }

        private void ready(SelectionKey key, long now) {
            Conn c = (Conn) key.attachment();
            if (!key.isValid() || c.key != key) {
                return;
            }
            try {
                if (key.isConnectable()) {
                    if (c.channel.finishConnect()) {
                        connected(c, now);
                    }
                    return;
                }
                if (key.isWritable() && c.pendingWrite != null) {
                    c.channel.write(c.pendingWrite);
                    if (!c.pendingWrite.hasRemaining()) {
                        c.pendingWrite = null;
                        key.interestOps(SelectionKey.OP_READ);
                    }
                }
                if (key.isReadable()) {
                    read(c, now);
                }
            } catch (IOException e) {
                if (!c.connected) {
                    connectFailed(c, e, now);
                } else {
                    onFailure(c, e, now);
                }
            }
        }

        private void read(Conn c, long now) throws IOException {
            readBuffer.clear();
            int n = c.channel.read(readBuffer);
            if (n == 0) {
                return;
            }
            if (!c.inFlight && !takeIdle(c)) {
                // Nothing was asked on this connection: the server closed it (idle keep-alive) or sent garbage.
                closeChannel(c);
                reconnect(c, now);
                return;
            }
            if (n < 0) {
                c.parser.eof(now); // throws unless the body was delimited by the close
                if (c.parser.done()) {
                    finishResponse(c, true, now);
                }
                return;
            }
            c.lastActivity = now;
            int used = c.parser.feed(readBuffer.array(), 0, n, now);
            if (c.parser.done()) {
                finishResponse(c, used < n, now); // bytes beyond the response: not a server to keep talking to
            }
        }

        /**
         * A connection with no request in flight became readable. If it is still idle, takes it out of the idle queue
         * (so the pacer cannot pick it) and returns false; returns true if a request was assigned to it meanwhile.
         */
        private boolean takeIdle(Conn c) {
            lock.lock();
            try {
                if (c.inFlight) {
                    return true;
                }
                idle.remove(c);
                return false;
            } finally {
                lock.unlock();
            }
        }

        private void finishResponse(Conn c, boolean close, long now) {
            ResponseParser p = c.parser;
            complete(c);
            recording.response(c.intended, p.status(), p.firstDataNanos(), p.endNanos(), p.overheadMs());
            if (close || p.closeAfter()) {
                closeChannel(c);
                reconnect(c, now);
            } else {
                p.reset();
                release(c, now);
            }
        }

        /** A request in flight on {@code c} failed: retried once on a new connection if it was a kept-alive one. */
        private void onFailure(Conn c, IOException e, long now) {
            if (c.inFlight && c.reusable && !c.retried && !(e instanceof SocketTimeoutException)) {
                closeChannel(c);
                c.retried = true;
                c.reusable = false;
                connect(c, now); // sends the same request again once connected
            } else {
                fail(c, e, now);
            }
        }

        private void fail(Conn c, IOException e, long now) {
            closeChannel(c);
            if (c.inFlight) {
                complete(c);
                recording.failure(c.intended, now, Recording.kind(e));
            }
            reconnect(c, now);
        }

        private void complete(Conn c) {
            c.inFlight = false;
            done++;
        }

        /** Opens a replacement connection while the run still sends; it joins the idle queue when connected. */
        private void reconnect(Conn c, long now) {
            boolean sending;
            lock.lock();
            try {
                sending = !stopSending;
            } finally {
                lock.unlock();
            }
            if (sending) {
                connect(c, now);
            }
        }

        /** {@code c} is free: it takes the next request if one is already due (queued), else joins the idle queue. */
        private void release(Conn c, long now) {
            Conn taken;
            lock.lock();
            try {
                idle.addLast(c);
                lastReleased = c;
                taken = claim(now);
                lastReleased = null;
            } finally {
                lock.unlock();
            }
            if (taken != null) {
                send(taken, now);
            }
        }

        private void scanTimeouts(long now) {
            long timeout = spec.timeout().toNanos();
            for (Conn c : conns) {
                if (c.inFlight && now - c.lastActivity > timeout) {
                    fail(c, new SocketTimeoutException("no answer for " + spec.timeout().toMillis() + " ms"), now);
                } else if (c.channel != null && !c.connected && now - c.connectStarted > timeout) {
                    connectFailed(c, new SocketTimeoutException("connect timed out"), now);
                }
            }
        }

        private void closeChannel(Conn c) {
            c.epoch++; // hand-overs about the old channel are stale from now on
            c.connected = false;
            c.pendingWrite = null;
            if (c.key != null) {
                c.key.cancel();
                c.key = null;
            }
            if (c.channel != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // a broken connection has nothing left to report
                }
                c.channel = null;
            }
        }

        void closeAll() {
            for (Conn c : conns) {
                closeChannel(c);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    /**
     * One keep-alive connection. Owned by the idle queue when idle, by the request in flight otherwise; its channel,
     * key and parser are the event loop's alone.
     */
    private static final class Conn {
        final ResponseParser parser = new ResponseParser(OVERHEAD_HEADER);
        SocketChannel channel;
        SelectionKey key;
        /** Connected and usable; set by the event loop, read by whoever claims the idle connection. */
        volatile boolean connected;
        long connectStarted;
        ByteBuffer pendingWrite;
        /** Bumped by the event loop whenever it closes the channel. */
        volatile int epoch;

        // The request in flight: written by whoever claims the connection, before inFlight.
        long intended;
        /** How long it waited for a free connection after it fell due (ns). */
        long connWait;
        boolean reusable;
        boolean retried;
        /** Its send lag is still to be recorded, by whichever thread writes it first. */
        volatile boolean sendLagDue;
        volatile long lastActivity;
        volatile boolean inFlight;
    }

    /** From the pacer to the event loop: a connection to open, a write to finish, or a write that failed. */
    private record HandOver(Conn conn, int epoch, ByteBuffer rest, IOException failure) {
    }
}
