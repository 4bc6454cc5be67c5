package dev.warden.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test target that answers however the test says: blocking sockets, one thread per connection, every request read
 * in full, then handed to the script with its number (overall and on its connection). The script writes whatever it
 * likes (split, delayed, malformed) and says whether to keep the connection.
 */
final class ScriptedServer implements AutoCloseable {

    /** What to do with one request. */
    interface Script {
        /** @return false to close the connection after this request */
        boolean answer(Exchange exchange) throws IOException, InterruptedException;
    }

    /** One request: its numbers, and the connection to answer on. */
    record Exchange(int number, int onConnection, int connection, OutputStream out) {
        void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    static final String OK = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    ScriptedServer(Script script) throws IOException {
        this.script = script;
        this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("scripted-accept").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Requests read in full. */
    int requests() {
        return requests.get();
    }

    /** Connections accepted. */
    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                sockets.add(s);
                int connection = connections.incrementAndGet();
                Thread.ofPlatform().daemon().name("scripted-" + connection).start(() -> serve(s, connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s, int connection) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            int onConnection = 0;
            while (true) {
                int contentLength = 0;
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                while (!(line = readLine(in)).isEmpty()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        contentLength = Integer.parseInt(line.substring(15).trim());
                    }
                }
                if (in.readNBytes(contentLength).length < contentLength) {
                    return;
                }
                int number = requests.incrementAndGet();
                if (!script.answer(new Exchange(number, ++onConnection, connection, out))) {
                    return;
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away, or the test is over
        }
    }

    /** A line without its CRLF; null at end of stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed mid-line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
