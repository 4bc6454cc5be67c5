package dev.warden.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The background fdatasync of a journaled segment: it forces what it is asked to, a failure of it fails the
 * writer's next force and check (an fdatasync error is reported once, so it must not be lost), and a channel the
 * writer closed meanwhile is not an error.
 */
class SegmentWritebackTest {
  @TempDir Path dir;

  private FileChannel channel() throws IOException {
    FileChannel ch = FileChannel.open(dir.resolve("segment-000001.jsonl"), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
    ch.write(ByteBuffer.wrap("{\"a\":1}\n".getBytes()));
    return ch;
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(10, TimeUnit.SECONDS)).as("background fdatasync within 10 s").isTrue();
  }

  @Test
  void forcesTheRequestedSegmentOnItsOwnThread() throws Exception {
    CountDownLatch forced = new CountDownLatch(1);
    String[] thread = new String[1];
    try (FileChannel ch = channel();
        SegmentWriteback w = new SegmentWriteback("writeback-test", c -> {
          c.force(false);
          thread[0] = Thread.currentThread().getName();
          forced.countDown();
        })) {
      w.request(ch);
      await(forced);
      assertThat(thread[0]).isEqualTo("writeback-test");
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (w.forces() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(w.forces()).isEqualTo(1);
      w.force(ch); // the writer's own force still works and is not counted as a background one
      w.check();
      assertThat(w.forces()).isEqualTo(1);
    }
  }

  @Test
  void aFailedBackgroundFdatasyncFailsTheWritersNextForceAndCheck() throws Exception {
    CountDownLatch failed = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    try (FileChannel ch = channel();
        SegmentWriteback w = new SegmentWriteback("writeback-test", c -> {
          calls.incrementAndGet();
          failed.countDown();
          throw new IOException("Input/output error");
        })) {
      w.request(ch);
      await(failed);
      // The failure is recorded under the lock the writer's force takes, so this force sees it.
      assertThatThrownBy(() -> w.force(ch)).isInstanceOf(IOException.class)
          .hasMessage("a background fdatasync of the ledger segment failed: Input/output error");
      assertThatThrownBy(w::check).isInstanceOf(IOException.class);
      assertThat(calls).as("the writer's force was refused, not tried over the failure").hasValue(1);
      w.request(ch); // and no further background fdatasync is tried either
      Thread.sleep(50);
      assertThat(calls).hasValue(1);
    }
  }

  @Test
  void aSegmentClosedByTheWriterIsNotAFailure() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    // The writer rolls to the next segment (closing this one after forcing it itself) while the first background
    // fdatasync is under way: that force ends with ClosedChannelException.
    try (FileChannel next = channel();
        SegmentWriteback w = new SegmentWriteback("writeback-test", c -> {
          if (calls.incrementAndGet() == 1) {
            c.close();
          }
          c.force(false);
        })) {
      FileChannel rolled = FileChannel.open(dir.resolve("segment-000000.jsonl"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      w.request(rolled);
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (calls.get() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      w.request(next);
      while (w.forces() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      w.check(); // no failure recorded
      assertThat(calls).hasValue(2);
      assertThat(w.forces()).as("the closed one is not counted, the next one is forced as usual").isEqualTo(1);
    }
  }
}
