package dev.warden.gateway.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background threads at the lowest CPU priority (nice 19) on Linux, so that the kernel runs them on the time the
 * request threads leave instead of sharing the cores with them. Java's own thread priorities do nothing on Linux
 * unless the JVM runs as root, so the thread renices itself by its kernel thread id ({@code /proc/thread-self});
 * raising one's own nice value needs no privilege. Where that is not possible (another OS, no {@code renice} in the
 * image) the thread runs at normal priority and says so once in the log.
 */
final class LowPriority {
    private static final Logger log = LoggerFactory.getLogger(LowPriority.class);
    static final int NICE = 19;

    private LowPriority() {
    }

    /** A factory of daemon platform threads named {@code name} that lower their own priority before they run. */
    static ThreadFactory daemonThreads(String name) {
        ThreadFactory platform = Thread.ofPlatform().daemon().name(name).factory();
        return task -> platform.newThread(() -> {
            lowerCurrentThread();
            task.run();
        });
    }

    /** Sets the calling thread's nice value to {@value #NICE}; false (logged) where it could not. */
    static boolean lowerCurrentThread() {
        String thread = Thread.currentThread().getName();
        Path self = Path.of("/proc/thread-self");
        try {
            if (!Files.isSymbolicLink(self)) {
                log.info("Thread {} runs at normal CPU priority: no /proc/thread-self on this system", thread);
                return false;
            }
            String tid = Files.readSymbolicLink(self).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!renice.waitFor(5, TimeUnit.SECONDS)) {
                renice.destroyForcibly();
                log.info("Thread {} runs at normal CPU priority: renice did not finish", thread);
                return false;
            }
            if (renice.exitValue() != 0) {
                log.info("Thread {} runs at normal CPU priority: renice exited with {}", thread, renice.exitValue());
                return false;
            }
            return true;
        } catch (IOException e) {
            log.info("Thread {} runs at normal CPU priority: {}", thread, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
