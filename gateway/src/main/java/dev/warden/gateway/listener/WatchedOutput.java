package dev.warden.gateway.listener;

import dev.warden.gateway.http.Watchdog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A socket's output whose writes may not block forever: a client that stops reading (its receive window full)
 * would otherwise hold the connection's thread and the provider's stream. A write that has not completed after
 * the timeout closes the socket, and the write fails.
 */
final class WatchedOutput extends OutputStream {
    private final Socket socket;
    private final OutputStream out;
    private final Watchdog watchdog;
    private final long timeoutNanos;

    WatchedOutput(Socket socket, Watchdog watchdog, long timeoutNanos) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.watchdog = watchdog;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Watchdog.Watch watch = watchdog.watch(timeoutNanos, this::closeSocket);
        try {
            out.write(b, off, len);
        } finally {
            watch.stop();
        }
    }

    private void closeSocket() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the blocked write fails either way
        }
    }
}
