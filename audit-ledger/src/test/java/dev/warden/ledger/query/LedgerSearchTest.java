package dev.warden.ledger.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.Actor;
import dev.warden.ledger.Appended;
import dev.warden.ledger.EntryDraft;
import dev.warden.ledger.EntryKind;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerEntry;
import dev.warden.ledger.LedgerOptions;
import dev.warden.ledger.LedgerReader;
import dev.warden.ledger.TestClock;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.PublicKeyRing;
import dev.warden.ledger.store.SegmentFileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's audit log search over a real ledger. Expected answers come from the list of what the test appended,
 * not from the filter under test.
 */
class LedgerSearchTest {
  private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  private static final EntryKind[] KINDS =
      {EntryKind.REQUEST, EntryKind.RESPONSE, EntryKind.REJECTION, EntryKind.ADMIN_CHANGE, EntryKind.LOGIN};
  private static final int ENTRIES = 240;

  @TempDir Path dir;

  /** What the test appended: entry i at START + i minutes. */
  private record Written(long seq, EntryKind kind, String user, String keyId, String team, String model, Instant time) {}

  private final List<Written> written = new ArrayList<>();

  private static EntryDraft draft(int i) {
    return EntryDraft.builder().kind(KINDS[i % KINDS.length])
        .actor(new Actor("vk_" + (i % 4), "user" + (i % 3) + "@example.com", "team-" + (i % 2), "acme"))
        .model(i % 5 == 0 ? "claude-sonnet-4" : "gpt-4.1").requestId("req-" + i)
        .attr("surface", "openai.chat").build();
  }

  @BeforeEach
  void writeLedger() {
    TestClock clock = new TestClock(START);
    // Small segments, so that a search crosses many and can skip some; checkpoints only by count.
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).clock(clock).maxSegmentBytes(4096)
        .checkpointEvery(50).checkpointInterval(Duration.ofHours(1)).build())) {
      for (int i = 0; i < ENTRIES; i++) {
        clock.set(START.plus(Duration.ofMinutes(i)));
        Appended a = ledger.append(draft(i));
        written.add(new Written(a.seq(), KINDS[i % KINDS.length], "user" + (i % 3) + "@example.com", "vk_" + (i % 4),
            "team-" + (i % 2), i % 5 == 0 ? "claude-sonnet-4" : "gpt-4.1", a.time()));
      }
    }
  }

  private List<Long> expected(Predicate<Written> p) {
    return written.stream().filter(p).map(Written::seq).sorted((a, b) -> Long.compare(b, a)).toList();
  }

  private static List<Long> seqs(SearchPage page) {
    return page.entries().stream().map(LedgerEntry::seq).toList();
  }

  /** Every page of a search, following the cursor. */
  private List<Long> allPages(LedgerQuery first) {
    List<Long> all = new ArrayList<>();
    LedgerQuery q = first;
    while (true) {
      SearchPage page = LedgerSearch.search(dir, q);
      assertThat(page.entries().size()).isLessThanOrEqualTo(q.limit());
      all.addAll(seqs(page));
      var next = page.next(q);
      if (next.isEmpty()) {
        return all;
      }
      q = next.get();
    }
  }

  @Test
  void theNewestEntriesComeFirst() {
    SearchPage page = LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.ANY, 5));
    assertThat(seqs(page)).containsExactly(239L, 238L, 237L, 236L, 235L);
    assertThat(page.nextBeforeSeq()).isEqualTo(235L);
    assertThat(page.entries().get(0).requestId()).isEqualTo("req-239");
    assertThat(page.entries().get(0).hash()).isEqualTo(LedgerReader.readAll(dir).get(239).hash());
  }

  @Test
  void filtersByKindUserKeyTeamAndModel() {
    assertThat(allPages(LedgerQuery.newest(EntryFilter.builder().user("user1@example.com").build(), 500)))
        .isEqualTo(expected(w -> w.user.equals("user1@example.com")));
    assertThat(allPages(LedgerQuery.newest(EntryFilter.builder().keyId("vk_2").build(), 500)))
        .isEqualTo(expected(w -> w.keyId.equals("vk_2")));
    assertThat(allPages(LedgerQuery.newest(EntryFilter.builder().team("team-0").build(), 500)))
        .isEqualTo(expected(w -> w.team.equals("team-0")));
    assertThat(allPages(LedgerQuery.newest(EntryFilter.builder().model("claude-sonnet-4").build(), 500)))
        .isEqualTo(expected(w -> w.model.equals("claude-sonnet-4")));
    assertThat(allPages(LedgerQuery.newest(
        EntryFilter.builder().kinds(Set.of(EntryKind.REJECTION, EntryKind.LOGIN)).build(), 500)))
        .isEqualTo(expected(w -> w.kind == EntryKind.REJECTION || w.kind == EntryKind.LOGIN));
    // All at once: every condition must hold.
    assertThat(allPages(LedgerQuery.newest(EntryFilter.builder().kind(EntryKind.REQUEST).user("user0@example.com")
        .keyId("vk_0").model("claude-sonnet-4").build(), 500)))
        .isEqualTo(expected(w -> w.kind == EntryKind.REQUEST && w.user.equals("user0@example.com")
            && w.keyId.equals("vk_0") && w.model.equals("claude-sonnet-4")))
        .isNotEmpty();
    assertThat(LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.builder().user("USER0@example.com").build(),
        10)).entries()).as("ids match exactly").isEmpty();
  }

  @Test
  void pagesFollowTheCursorWithoutDuplicatesOrGaps() {
    EntryFilter filter = EntryFilter.builder().team("team-1").build();
    List<Long> paged = allPages(LedgerQuery.newest(filter, 7));
    assertThat(paged).isEqualTo(expected(w -> w.team.equals("team-1"))).doesNotHaveDuplicates().hasSize(120);

    SearchPage last = LedgerSearch.search(dir, LedgerQuery.newest(filter, 7).before(4));
    assertThat(seqs(last)).containsExactly(3L, 1L);
    assertThat(last.nextBeforeSeq()).as("no older entry matches").isNull();
    assertThat(LedgerSearch.search(dir, LedgerQuery.newest(filter, 7).before(0)).entries()).isEmpty();
  }

  @Test
  void aPageThatEndsExactlyAtTheOldestMatchHasNoNextPage() {
    EntryFilter filter = EntryFilter.builder().model("claude-sonnet-4").build(); // 48 entries
    SearchPage page = LedgerSearch.search(dir, LedgerQuery.newest(filter, 48));
    assertThat(page.entries()).hasSize(48);
    assertThat(page.nextBeforeSeq()).isNull();
    assertThat(LedgerSearch.search(dir, LedgerQuery.newest(filter, 47)).nextBeforeSeq()).isEqualTo(5L);
  }

  @Test
  void theTimeRangeIncludesFromAndExcludesTo() {
    Instant from = START.plus(Duration.ofMinutes(100));
    Instant to = START.plus(Duration.ofMinutes(110));
    SearchPage page = LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.builder().from(from).to(to).build(), 50));
    assertThat(seqs(page)).containsExactly(109L, 108L, 107L, 106L, 105L, 104L, 103L, 102L, 101L, 100L);
    assertThat(page.nextBeforeSeq()).isNull();
    assertThat(allPages(LedgerQuery.newest(EntryFilter.builder().from(from).to(to).user("user2@example.com").build(),
        2))).isEqualTo(expected(w -> !w.time.isBefore(from) && w.time.isBefore(to)
            && w.user.equals("user2@example.com")));
    assertThatThrownBy(() -> EntryFilter.builder().from(to).to(from).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("time range [" + to + ", " + from + ") is empty (expected: from before to)");
  }

  @Test
  void readsOnlyTheSegmentsItNeeds() throws Exception {
    List<List<Long>> segments = new ArrayList<>();
    for (Path segment : SegmentFileStore.segments(dir)) {
      List<Long> seqs = new ArrayList<>();
      SegmentFileStore.readLines(segment, (buf, off, len) -> seqs.add(LedgerEntry.parse(buf, off, len).seq()));
      segments.add(seqs);
    }
    assertThat(segments).as("segments written").hasSizeGreaterThan(10);
    // The newest page needs only the newest segments (two, if the last holds fewer than the page plus one).
    SearchPage newest = LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.ANY, 3));
    assertThat(newest.scanned()).isLessThanOrEqualTo(
        segments.getLast().size() + segments.get(segments.size() - 2).size());
    // A range in the middle: the segments after it are skipped unread, the reading stops in the one where it
    // starts, and the older ones are not touched.
    SearchPage middle = LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.builder()
        .from(START.plus(Duration.ofMinutes(120))).to(START.plus(Duration.ofMinutes(125))).build(), 500));
    assertThat(seqs(middle)).containsExactly(124L, 123L, 122L, 121L, 120L);
    int overlapping = segments.stream()
        .filter(seqs -> seqs.stream().anyMatch(seq -> seq >= 120 && seq <= 125)).mapToInt(List::size).sum();
    assertThat(middle.scanned()).isLessThanOrEqualTo(overlapping);
    // A filter nothing matches has to read everything, and says so.
    assertThat(LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.builder().user("nobody").build(), 10))
        .scanned()).isEqualTo(ENTRIES);
  }

  @Test
  void theLimitIsOneTo500() {
    assertThatThrownBy(() -> LedgerQuery.newest(EntryFilter.ANY, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit 0 (expected: 1..500)");
    assertThatThrownBy(() -> LedgerQuery.newest(EntryFilter.ANY, 501)).hasMessage("limit 501 (expected: 1..500)");
    assertThat(LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.ANY, 500)).entries()).hasSize(ENTRIES);
  }

  @Test
  void anEntryComesWithTheFirstCheckpointCoveringItAndAVerifyingProof() throws Exception {
    EntryDetail detail = LedgerSearch.entry(dir, 73).orElseThrow();
    assertThat(detail.entry().seq()).isEqualTo(73);
    assertThat(detail.entry().requestId()).isEqualTo("req-73");
    assertThat(detail.entry().hash()).isEqualTo(LedgerReader.readAll(dir).get(73).hash());

    EntryDetail.Inclusion inclusion = detail.inclusion();
    assertThat(inclusion).isNotNull();
    assertThat(inclusion.checkpoint().size()).as("checkpoints at 0, 50, 100, ...: the first covering 73").isEqualTo(100);
    assertThat(inclusion.verified()).isTrue();
    assertThat(inclusion.proof().verify(inclusion.checkpoint())).isTrue();
    assertThat(inclusion.proof().line()).isEqualTo(detail.entry().line());
    PublicKeyRing keys = PublicKeyRing.empty().addPemDirectory(dir.resolve("keys"));
    assertThat(inclusion.checkpoint().verifySignature(keys.get(inclusion.checkpoint().keyId()).orElseThrow())).isTrue();

    assertThat(LedgerSearch.entry(dir, 0).orElseThrow().inclusion().checkpoint().size()).isEqualTo(50);
    assertThat(LedgerSearch.entry(dir, 239).orElseThrow().inclusion().checkpoint().size())
        .as("the closing checkpoint").isEqualTo(240);
  }

  @Test
  void anEntryAfterTheLastCheckpointHasNoInclusionYet() {
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).checkpointEvery(1000)
        .checkpointInterval(Duration.ofHours(1)).build())) {
      ledger.append(draft(240));
      EntryDetail detail = LedgerSearch.entry(dir, 240).orElseThrow();
      assertThat(detail.entry().requestId()).isEqualTo("req-240");
      assertThat(detail.inclusion()).isNull();
      Checkpoint cp = ledger.checkpoint();
      assertThat(LedgerSearch.entry(dir, 240).orElseThrow().inclusion())
          .satisfies(i -> assertThat(i.checkpoint()).isEqualTo(cp))
          .satisfies(i -> assertThat(i.verified()).isTrue());
    }
  }

  @Test
  void anUnknownSeqIsEmptyAndANegativeOneIsRefused() {
    assertThat(LedgerSearch.entry(dir, ENTRIES)).isEmpty();
    assertThat(LedgerSearch.entry(dir, 1_000_000)).isEmpty();
    assertThatThrownBy(() -> LedgerSearch.entry(dir, -1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seq -1 (expected: >= 0)");
  }

  @Test
  void aProofThatNoLongerLeadsToTheSignedRootIsReportedNotHidden() throws Exception {
    Path first = SegmentFileStore.segments(dir).getFirst();
    // Entry 2 edited in place (same length): the proof is built from the edited line and cannot reach the root.
    String text = Files.readString(first);
    Files.writeString(first, text.replace("\"request_id\":\"req-2\"", "\"request_id\":\"req-X\""));
    EntryDetail detail = LedgerSearch.entry(dir, 2).orElseThrow();
    assertThat(detail.entry().requestId()).isEqualTo("req-X");
    assertThat(detail.inclusion().verified()).isFalse();
  }

  @Test
  void aPartlyWrittenLastLineIsIgnored() throws Exception {
    Path last = SegmentFileStore.segments(dir).getLast();
    Files.writeString(last, "{\"chain\":\"main\",\"kind\":\"request\",\"seq\":240,", StandardOpenOption.APPEND);
    Files.writeString(dir.resolve(SegmentFileStore.CHECKPOINTS), "{\"chain\":\"main\",\"head\":",
        StandardOpenOption.APPEND);
    assertThat(seqs(LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.ANY, 2)))).containsExactly(239L, 238L);
    assertThat(LedgerSearch.entry(dir, 240)).isEmpty();
    assertThat(LedgerSearch.entry(dir, 239).orElseThrow().inclusion().verified()).isTrue();
  }

  @Test
  void aDamagedCompleteLineFailsTheSearchNamingTheFile() throws Exception {
    Path last = SegmentFileStore.segments(dir).getLast();
    Files.writeString(last, "not json\n", StandardOpenOption.APPEND);
    assertThatThrownBy(() -> LedgerSearch.search(dir, LedgerQuery.newest(EntryFilter.ANY, 2)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(last.getFileName().toString())
        .hasMessageContaining("is not a valid entry");
  }

  @Test
  void searchesAndDetailsAreConsistentWhileTheLedgerAppends() throws Exception {
    EntryFilter filter = EntryFilter.builder().user("user1@example.com").build();
    AtomicBoolean done = new AtomicBoolean();
    try (Ledger ledger = Ledger.open(LedgerOptions.builder().dir(dir).maxSegmentBytes(4096)
        .checkpointEvery(25).build())) {
      CompletableFuture<Void> appender = CompletableFuture.runAsync(() -> {
        for (int i = ENTRIES; i < ENTRIES + 600; i++) {
          ledger.append(draft(i));
        }
        done.set(true);
      });
      int searches = 0;
      while (!done.get() || searches < 5) {
        SearchPage page = LedgerSearch.search(dir, LedgerQuery.newest(filter, 20));
        List<Long> s = seqs(page);
        assertThat(s).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
        assertThat(page.entries()).allSatisfy(e -> assertThat(e.actor().user()).isEqualTo("user1@example.com"));
        long head = ledger.head().size();
        if (head > 0) {
          EntryDetail d = LedgerSearch.entry(dir, head - 1).orElseThrow();
          assertThat(d.entry().seq()).isEqualTo(head - 1);
          if (d.inclusion() != null) {
            assertThat(d.inclusion().verified()).isTrue();
          }
        }
        searches++;
      }
      appender.join();
    }
    List<Long> all = allPages(LedgerQuery.newest(filter, 33));
    assertThat(all).hasSize((ENTRIES + 600) / 3).doesNotHaveDuplicates();
    assertThat(all).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void anEmptyDirectoryHasNoEntries() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertThat(LedgerSearch.search(empty, LedgerQuery.newest(EntryFilter.ANY, 10)).entries()).isEmpty();
    assertThat(LedgerSearch.entry(empty, 0)).isEmpty();
  }

  @Test
  void theFilterIsASmallRecordOfExactMatches() {
    LedgerEntry e = LedgerReader.readAll(dir).get(6); // kind response, user0, vk_2, team-0, gpt-4.1
    assertThat(EntryFilter.ANY.matches(e)).isTrue();
    assertThat(EntryFilter.builder().kind(EntryKind.RESPONSE).user("user0@example.com").keyId("vk_2").team("team-0")
        .customer("acme").model("gpt-4.1").requestId("req-6").from(e.time()).to(e.time().plusNanos(1000)).build()
        .matches(e)).isTrue();
    assertThat(EntryFilter.builder().kind(EntryKind.REQUEST).build().matches(e)).isFalse();
    assertThat(EntryFilter.builder().customer("globex").build().matches(e)).isFalse();
    assertThat(EntryFilter.builder().to(e.time()).build().matches(e)).as("to is exclusive").isFalse();
    assertThat(EntryFilter.builder().from(e.time()).build().matches(e)).as("from is inclusive").isTrue();
    assertThat(new String(e.line(), StandardCharsets.UTF_8)).contains("\"kind\":\"response\"");
  }
}
