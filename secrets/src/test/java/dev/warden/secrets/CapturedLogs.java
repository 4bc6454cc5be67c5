package dev.warden.secrets;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.bridge.SLF4JBridgeHandler;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.LogManager;

/**
 * Logback appender (see logback-test.xml) that keeps every event at DEBUG and above from every library, with its
 * stack trace, so tests can assert that no secret reached a log line. java.util.logging (gRPC, Google auth) is
 * bridged in too.
 */
public final class CapturedLogs extends AppenderBase<ILoggingEvent> {

    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

    static {
        LogManager.getLogManager().reset();
        SLF4JBridgeHandler.install();
        java.util.logging.Logger.getLogger("").setLevel(Level.FINE);
    }

    /** Call once before a test so JUL is bridged even if logback initialised first. */
    public static void install() {
        // Loading the class runs the static initialiser.
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getLevel()).append(' ')
                .append(event.getFormattedMessage());
        if (event.getThrowableProxy() != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        }
        LINES.add(line.toString());
    }

    public static List<String> lines() {
        return List.copyOf(LINES);
    }

    public static void clear() {
        LINES.clear();
    }
}
