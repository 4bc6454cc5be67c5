package dev.warden.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedBodyTest {
    private static InputStream trickle(byte[] data) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1000)); // a network stream hands over a little at a time
            }
        };
    }

    @Test
    void readsBodiesOfEverySizeWithAndWithoutAHint() throws Exception {
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 10_000, 100_000}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) i;
            }
            assertThat(BoundedBody.read(trickle(data), 1_000_000, -1, () -> { })).isEqualTo(data);
            assertThat(BoundedBody.read(trickle(data), 1_000_000, size, () -> { })).isEqualTo(data);
            assertThat(BoundedBody.read(trickle(data), 1_000_000, 17, () -> { })).as("a wrong hint").isEqualTo(data);
            assertThat(BoundedBody.read(trickle(data), size, -1, () -> { })).as("exactly the limit").isEqualTo(data);
        }
    }

    @Test
    void stopsAsSoonAsTheLimitIsPassedAndReportsProgress() {
        AtomicInteger reads = new AtomicInteger();
        assertThatThrownBy(() -> BoundedBody.read(trickle(new byte[50_000]), 10_000, -1, reads::incrementAndGet))
                .isInstanceOfSatisfying(BoundedBody.TooLargeException.class,
                        e -> assertThat(e.size()).isGreaterThan(10_000).isLessThanOrEqualTo(11_000));
        assertThat(reads.get()).as("one call per read that brought data").isBetween(11, 14);
        assertThatThrownBy(() -> BoundedBody.read(trickle(new byte[10_001]), 10_000, 10_001, () -> { }))
                .isInstanceOf(BoundedBody.TooLargeException.class);
    }

    @Test
    void asksForRoomBeforeEachBufferItAllocates() throws Exception {
        java.util.List<Long> asked = new java.util.ArrayList<>();
        byte[] data = new byte[20_000];

        assertThat(BoundedBody.read(trickle(data), 1_000_000, 20_000, () -> { }, asked::add)).isEqualTo(data);
        assertThat(asked).as("a Content-Length is reserved whole, up front").containsExactly(20_001L);

        asked.clear();
        assertThat(BoundedBody.read(trickle(data), 1_000_000, -1, () -> { }, asked::add)).isEqualTo(data);
        assertThat(asked).as("an unknown length is reserved as the buffer doubles")
                .containsExactly(4_096L, 8_192L, 16_384L, 32_768L);
    }

    @Test
    void aRefusedReservationStopsTheReadBeforeTheBufferIsTaken() {
        AtomicInteger reads = new AtomicInteger();
        java.io.IOException full = new java.io.IOException("no room");

        assertThatThrownBy(() -> BoundedBody.read(trickle(new byte[50_000]), 1_000_000, 50_000, reads::incrementAndGet,
                bytes -> {
                    throw full;
                })).isSameAs(full);
        assertThat(reads).as("nothing was read").hasValue(0);
    }
}
