package dev.warden.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.testing.GatewayTestSupport;
import dev.warden.ledger.store.LedgerStore;
import dev.warden.ledger.store.SegmentFileStore;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/** When the disk refuses an fsync, the ledger fails closed: nothing more is acknowledged and requests get 503. */
@Import(LedgerFailClosedTest.FailingDisk.class)
class LedgerFailClosedTest extends GatewayTestSupport {
    static final AtomicBoolean BROKEN = new AtomicBoolean();

    @TestConfiguration
    static class FailingDisk {
        @Bean(destroyMethod = "")
        @Primary
        LedgerStore failingStore(WardenProperties properties) {
            SegmentFileStore files = new SegmentFileStore(LedgerConfiguration.ledgerDir(properties));
            return new LedgerStore() {
                public Recovery open(String chain) throws IOException {
                    return files.open(chain);
                }

                public void write(List<byte[]> lines) throws IOException {
                    files.write(lines);
                }

                public void sync() throws IOException {
                    if (BROKEN.get()) {
                        throw new IOException("simulated fsync failure (EIO)");
                    }
                    files.sync();
                }

                public void writeCheckpoint(byte[] line) throws IOException {
                    files.writeCheckpoint(line);
                }

                public void readEntries(String chain, LineSink sink) throws IOException {
                    files.readEntries(chain, sink);
                }

                public void readCheckpoints(String chain, LineSink sink) throws IOException {
                    files.readCheckpoints(chain, sink);
                }

                public void close() throws IOException {
                    files.close();
                }
            };
        }
    }

    @Test
    void anFsyncFailureRefusesRequestsBeforeTheyReachAProvider() {
        assertThat(post("/v1/chat/completions", chat("solo", "before", false)).statusCode()).isEqualTo(200);
        int upstreamCalls = PRIMARY.received().size();

        BROKEN.set(true);
        HttpResponse<String> refused = post("/v1/chat/completions", chat("solo", "after", false));
        HttpResponse<String> again = post("/v1/chat/completions", chat("solo", "again", false));
        BROKEN.set(false);
        HttpResponse<String> stillRefused = post("/v1/chat/completions", chat("solo", "later", false));

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("audit ledger is unavailable");
        assertThat(again.statusCode()).isEqualTo(503);
        assertThat(stillRefused.statusCode()).as("no retrying the fsync: it stays failed closed").isEqualTo(503);
        assertThat(PRIMARY.received()).hasSize(upstreamCalls);
        HttpResponse<String> health = send(HttpRequest.newBuilder(url("/actuator/health")).GET().build());
        assertThat(health.statusCode()).isEqualTo(503);
    }
}
