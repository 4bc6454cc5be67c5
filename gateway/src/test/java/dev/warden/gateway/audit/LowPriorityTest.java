package dev.warden.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class LowPriorityTest {
    /** The calling thread's nice value, field 19 of /proc/thread-self/stat (after the parenthesised name). */
    private static int niceOfCurrentThread() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[16]);
    }

    @Test
    void threadsOfTheFactoryRunAtTheLowestPriorityAndTheRestOfTheProcessDoesNot() throws Exception {
        assumeTrue(Files.isSymbolicLink(Path.of("/proc/thread-self")), "Linux only");
        assumeTrue(java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "renice"))), "needs renice (util-linux)");
        int before = niceOfCurrentThread();
        ExecutorService low = Executors.newSingleThreadExecutor(LowPriority.daemonThreads("low-priority-test"));
        try {
            int nice = CompletableFuture.supplyAsync(() -> {
                try {
                    return niceOfCurrentThread();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, low).get();

            assertThat(nice).isEqualTo(LowPriority.NICE);
            assertThat(niceOfCurrentThread()).isEqualTo(before);
        } finally {
            low.shutdownNow();
        }
    }
}
