package dev.warden.ledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLinesTest {
  @TempDir Path dir;

  private List<String> lines(Path file) throws Exception {
    List<String> out = new ArrayList<>();
    SegmentLines.forEach(file, (buf, off, len) -> out.add(new String(buf, off, len, StandardCharsets.UTF_8)));
    return out;
  }

  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void readsCompleteLinesOnlyEvenWhenLongerThanTheBuffer() throws Exception {
    String huge = "x".repeat(300_000);
    Path f = dir.resolve("s.jsonl");
    Files.writeString(f, "a\n\n" + huge + "\nb\n{\"torn\":");
    assertThat(lines(f)).containsExactly("a", "", huge, "b");
    assertThat(SegmentLines.first(f)).map(SegmentLinesTest::utf8).contains("a");
    assertThat(SegmentLines.last(f)).map(SegmentLinesTest::utf8).contains("b");
  }

  @Test
  void theLastLineIsFoundFromTheEndAcrossChunks() throws Exception {
    String big = "y".repeat(20_000);
    Path f = dir.resolve("s.jsonl");
    Files.writeString(f, "first\n" + big + "\n");
    assertThat(SegmentLines.last(f)).map(SegmentLinesTest::utf8).contains(big);
    Files.writeString(f, big + "\n");
    assertThat(SegmentLines.last(f)).map(SegmentLinesTest::utf8).contains(big);
  }

  @Test
  void aFileWithoutACompleteLineHasNone() throws Exception {
    Path f = dir.resolve("s.jsonl");
    Files.writeString(f, "");
    assertThat(SegmentLines.first(f)).isEmpty();
    assertThat(SegmentLines.last(f)).isEmpty();
    Files.writeString(f, "{\"seq\":0");
    assertThat(lines(f)).isEmpty();
    assertThat(SegmentLines.first(f)).isEmpty();
    assertThat(SegmentLines.last(f)).isEmpty();
  }

  @Test
  void theVisitorStopsTheRead() throws Exception {
    Path f = dir.resolve("s.jsonl");
    Files.writeString(f, "1\n2\n3\n");
    List<String> seen = new ArrayList<>();
    SegmentLines.forEach(f, (buf, off, len) -> {
      seen.add(new String(buf, off, len, StandardCharsets.UTF_8));
      return seen.size() < 2;
    });
    assertThat(seen).containsExactly("1", "2");
  }
}
