package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.crypto.BodyDigester;
import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.MerkleTree;
import dev.warden.ledger.crypto.Sha256;
import dev.warden.ledger.crypto.SubjectKeyStore;
import dev.warden.ledger.json.CanonicalJson;
import dev.warden.ledger.json.JsonParser;
import dev.warden.ledger.json.Rfc3339;
import dev.warden.ledger.store.CheckpointCursor;
import dev.warden.ledger.store.DurableFiles;
import dev.warden.ledger.store.LedgerStore;
import dev.warden.ledger.store.LedgerStore.Recovery;
import dev.warden.ledger.store.SegmentFileStore;
import dev.warden.ledger.store.SegmentLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The audit ledger: a hash chain of canonical JSON entries, appended with group commit and covered by signed
 * checkpoints.
 *
 * <p>Many threads call {@link #append}; one writer thread takes whatever is queued (up to
 * {@link LedgerOptions#maxBatch()}), gives each entry its {@code seq}, {@code time} and {@code prev}, writes the
 * batch, forces it once (an fdatasync of the segment, or of the store's write-ahead journal when it is turned on, see
 * {@link dev.warden.ledger.store.SegmentFileStore}) and only then completes the callers. One fsync thus serves a
 * whole batch, which is what makes "durable before dispatch" affordable. See {@code audit-ledger/README.md} for the format and
 * {@code audit-ledger/docs/adr/0001-ledger-format-and-commit.md} for why.
 *
 * <p>Failing closed: if writing or forcing fails, every queued and every later append fails with
 * {@link LedgerUnavailableException}, {@link #healthy()} turns false, and nothing is retried.
 *
 * <p>Sealed bodies ({@link #seal}) can be made unreadable per data subject ({@link #erase}) and, with
 * {@link LedgerOptions#bodyRetention()}, after a retention period ({@link #expireBodies()}); both delete keys, never
 * entries.
 *
 * <p>Thread-safe. {@link #close()} stops the retention schedule, drains the queue, writes a final checkpoint and
 * closes the stores.
 */
public final class Ledger implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Ledger.class.getName());
  /** How often, at most, the writer saves {@link ResumeState} (besides at open and close). */
  private static final long RESUME_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final byte[] PREV_OPEN = "\"prev\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SEQ_OPEN = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
  // The members the writer adds, in canonical (UTF-16) order; drafts' members are merged around them.
  private static final String[] WRITER_KEYS = {EntryDraft.CHAIN, EntryDraft.PREV, EntryDraft.SEQ, EntryDraft.TIME};

  private final LedgerOptions options;
  private final String chain;
  private final LedgerStore store;
  private final @Nullable LedgerStore replica;
  private final BodyDigester digester;
  private final SubjectKeyStore subjects;
  private final @Nullable BodyRetention retention;
  private final SigningKey signingKey;
  private final Recovery recovery;
  private final BlockingQueue<Task> queue;
  private final Thread writer;

  private volatile @Nullable LedgerUnavailableException failure;
  private volatile boolean closing;
  private volatile boolean stopped;
  private volatile Head head;
  private volatile Checkpoint lastCheckpoint;

  // Writer-thread state. Written by open() before the writer starts (Thread.start orders it), then writer only.
  private long nextSeq;
  private byte[] prevHex;
  private final MerkleTree merkle;
  private final byte[] chainMember;
  private final CanonicalJson out = new CanonicalJson(1024);
  private final MessageDigest sha = Sha256.newDigest();
  private Instant lastTime = Instant.EPOCH;
  private long lastCheckpointNanos;
  private long lastResumeNanos; // 0: not saved since open
  private final long readOnOpen;
  private final long resumedAt;
  private final List<Task> inFlight = new ArrayList<>();
  private int lastBatchSize = 1;
  private long lastSyncNanos;
  // Lazy entries written but not yet made durable, and since when (-1: none); completed by the next sync.
  private final List<AppendTask> unsyncedAppends = new ArrayList<>();
  private final List<Appended> unsyncedResults = new ArrayList<>();
  private long unsyncedSinceNanos = -1;
  // Entries written to the stores since their last sync, for the SyncObserver.
  private int unsyncedEntries;

  private sealed interface Task permits AppendTask, CheckpointTask, StopTask {}

  /** {@code waited}: someone waits for this entry, so its batch is made durable at once (see appendLazily). */
  private record AppendTask(Prepared entry, CompletableFuture<Appended> done, boolean waited) implements Task {}

  private record CheckpointTask(CompletableFuture<Checkpoint> done) implements Task {}

  private record StopTask() implements Task {}

  /** A draft serialized in the caller's thread: sorted member names and their {@code "name":value} bytes. */
  private record Prepared(String[] keys, byte[][] members) {}

  private Ledger(LedgerOptions options, LedgerStore store, Recovery recovery, BodyDigester digester,
      SigningKey signingKey, Resume resume) throws IOException {
    this.options = options;
    this.chain = options.chainId();
    this.store = store;
    this.replica = options.replica();
    this.recovery = recovery;
    this.digester = digester;
    this.subjects = new SubjectKeyStore(options.dir().resolve("keys").resolve("subjects"), digester);
    Duration keep = options.bodyRetention();
    this.retention = keep == null ? null
        : new BodyRetention(keep, subjects, this::append, this::healthy, options.clock(), options.chainId());
    this.signingKey = signingKey;
    this.queue = new LinkedBlockingQueue<>(options.maxPending());
    this.nextSeq = resume.size;
    this.readOnOpen = resume.size - resume.readFrom;
    this.resumedAt = resume.readFrom;
    this.prevHex = resume.prevHex;
    this.merkle = resume.merkle;
    // Encoded as {"chain":"…"}; encode() copies it without the braces.
    this.chainMember = CanonicalJson.encode(Map.of(EntryDraft.CHAIN, chain));
    this.head = new Head(chain, resume.size, new String(prevHex, StandardCharsets.US_ASCII));
    this.writer = Thread.ofPlatform().name("warden-ledger-writer-" + chain).daemon(true).unstarted(this::runWriter);
    // A checkpoint of what was found: it anchors the chain for a replica that starts now, and after a crash it
    // signs the recovered state right away rather than a second later.
    this.lastCheckpoint = writeCheckpoint();
  }

  /**
   * Opens (or creates) the ledger in {@link LedgerOptions#dir()}: writes back from the write-ahead journal what a
   * crash kept from the segments and repairs a torn trailing line (see {@link #recovery()}), checks that the existing
   * entries form this chain and agree with the last checkpoint, writes a checkpoint of the state found, and starts the writer. With a
   * {@link LedgerOptions#bodyRetention()}, it then expires the bodies older than that ({@link #expireBodies()})
   * before returning, and again every {@link LedgerOptions#bodyRetentionCheckInterval()} until closed.
   *
   * @throws UncheckedIOException if the directory cannot be read or written, or the retention cannot delete keys
   *     (a retention that silently does nothing would be a broken promise to every data subject)
   * @throws IllegalStateException if the existing ledger is damaged or belongs to another chain: appending to it
   *     would bury the damage, so it is refused; run the verifier to see what is wrong
   */
  public static Ledger open(LedgerOptions options) {
    requireNonNull(options, "options");
    LedgerStore store = options.store() != null ? options.store()
        : new SegmentFileStore(options.dir(), options.maxSegmentBytes(), options.journal(), options.journalBytes());
    try {
      if (!Files.isDirectory(options.dir())) {
        Files.createDirectories(options.dir());
        Path parent = options.dir().toAbsolutePath().getParent();
        if (parent != null) {
          DurableFiles.syncDirectory(parent); // the ledger directory's own entry must survive a power cut
        }
      }
      Path keysDir = options.dir().resolve("keys");
      BodyDigester digester = new BodyDigester(LedgerKeys.digestKey(keysDir, options.digestKey()));
      SigningKey signingKey = LedgerKeys.signingKey(keysDir, options.signingKey());
      Recovery recovery = store.open(options.chainId());
      for (String repair : recovery.repairs()) {
        LOG.log(System.Logger.Level.WARNING, "ledger " + options.dir() + ": " + repair);
      }
      if (options.replica() != null) {
        options.replica().open(options.chainId());
      }
      Resume resume = Resume.scan(store, options.chainId());
      Ledger ledger = new Ledger(options, store, recovery, digester, signingKey, resume);
      ledger.writer.start();
      if (ledger.retention != null) {
        try {
          ledger.retention.start(options.bodyRetentionCheckInterval());
        } catch (RuntimeException e) {
          ledger.close();
          throw e;
        }
      }
      return ledger;
    } catch (IOException e) {
      closeQuietly(store);
      closeReplicaQuietly(options);
      throw new UncheckedIOException("could not open ledger " + options.dir() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(store);
      closeReplicaQuietly(options);
      throw e;
    }
  }

  private static void closeReplicaQuietly(LedgerOptions options) {
    LedgerStore replica = options.replica();
    if (replica != null) {
      closeQuietly(replica);
    }
  }

  /**
   * The state of the stored chain: size, head, Merkle tree; checked against itself and its checkpoints. A files ledger
   * goes on from its {@link ResumeState} when that checks out against the files, reading only the entries written
   * since; otherwise it reads the whole chain. Either way the checkpoints are read in step with the entries, never
   * held: a year of them is some 30 million lines.
   */
  private static final class Resume {
    long size;
    long readFrom; // the size the scan started at: 0, or the saved state's
    byte[] prevHex;
    MerkleTree merkle = new MerkleTree(false);

    private Resume(String chain) {
      prevHex = ChainRules.genesis(chain).getBytes(StandardCharsets.US_ASCII);
    }

    static Resume scan(LedgerStore store, String chain) throws IOException {
      if (store instanceof SegmentFileStore files) {
        ResumeState state = usableState(files, chain);
        return scanFiles(files, chain, state);
      }
      Map<Long, String> checkpointHeads = new HashMap<>();
      long[] maxCheckpoint = {0};
      store.readCheckpoints(chain, (buf, off, len) -> {
        Checkpoint cp = Checkpoint.parse(Arrays.copyOfRange(buf, off, off + len));
        String other = checkpointHeads.putIfAbsent(cp.size(), cp.head());
        if (other != null && !other.equals(cp.head())) {
          throw damaged(store, cp.size(), "two checkpoints of size " + cp.size() + " disagree on the head");
        }
        maxCheckpoint[0] = Math.max(maxCheckpoint[0], cp.size());
      });
      Resume r = new Resume(chain);
      MessageDigest sha = Sha256.newDigest();
      store.readEntries(chain, (buf, off, len) -> {
        r.entry(store, chain, sha, buf, off, len);
        String expectedHead = checkpointHeads.get(r.size);
        if (expectedHead != null && !expectedHead.equals(new String(r.prevHex, StandardCharsets.US_ASCII))) {
          throw damaged(store, r.size - 1, "hash differs from the head signed by the checkpoint of size " + r.size);
        }
      });
      if (maxCheckpoint[0] > r.size) {
        throw damaged(store, r.size, "a checkpoint covers " + maxCheckpoint[0] + " entries but only " + r.size
            + " are stored: entries were lost or removed");
      }
      return r;
    }

    /** Checks the next stored entry and takes it into the state. */
    private void entry(LedgerStore store, String chain, MessageDigest sha, byte[] buf, int off, int len) {
      Map<String, @Nullable Object> m;
      try {
        m = JsonParser.parseObject(buf, off, len);
      } catch (IllegalArgumentException e) {
        throw damaged(store, size, "not a JSON object: " + e.getMessage());
      }
      Object seq = m.get(EntryDraft.SEQ);
      if (!(seq instanceof Long s) || s != size) {
        throw damaged(store, size, "seq " + seq + " (expected: " + size + ")");
      }
      if (!chain.equals(m.get(EntryDraft.CHAIN))) {
        throw damaged(store, size, "chain " + m.get(EntryDraft.CHAIN) + " (expected: " + chain
            + "; one directory holds one chain)");
      }
      String prev = new String(prevHex, StandardCharsets.US_ASCII);
      if (!prev.equals(m.get(EntryDraft.PREV))) {
        throw damaged(store, size, "prev " + m.get(EntryDraft.PREV) + " (expected: " + prev + ")");
      }
      sha.update(buf, off, len);
      prevHex = Hex.encode(sha.digest()).getBytes(StandardCharsets.US_ASCII);
      merkle.append(buf, off, len);
      size++;
    }

    /**
     * Reads a files ledger's entries from genesis, or from {@code from}, with its checkpoints from the same point in
     * step: each checkpoint is compared with the chain when the chain reaches its size.
     */
    private static Resume scanFiles(SegmentFileStore files, String chain, @Nullable ResumeState from)
        throws IOException {
      Path dir = files.dir();
      Resume r = new Resume(chain);
      List<Path> segments = SegmentFileStore.segments(dir);
      int first = 0;
      long offset = 0;
      if (from != null) {
        r.size = from.size();
        r.readFrom = from.size();
        r.prevHex = from.head().getBytes(StandardCharsets.US_ASCII);
        r.merkle = from.merkle();
        first = segments.indexOf(dir.resolve(from.segment()));
        offset = from.offset();
      }
      MessageDigest sha = Sha256.newDigest();
      try (CheckpointCursor cursor = CheckpointCursor.open(dir.resolve(SegmentFileStore.CHECKPOINTS),
          from == null ? 0 : from.checkpointsEnd(), 0)) {
        InStep checkpoints = new InStep(files, chain, cursor, r);
        checkpoints.upTo(r.size);
        for (int i = first; i < segments.size(); i++) {
          SegmentLines.forEach(segments.get(i), i == first ? offset : 0, (buf, off, len) -> {
            r.entry(files, chain, sha, buf, off, len);
            checkpoints.upTo(r.size);
            return true;
          });
        }
        checkpoints.rest();
      }
      return r;
    }

    /** The files ledger's checkpoints, read one ahead of the chain being checked. */
    private static final class InStep {
      private final SegmentFileStore files;
      private final String chain;
      private final CheckpointCursor cursor;
      private final Resume r;
      private @Nullable Checkpoint next;
      private long lastSize = -1;

      InStep(SegmentFileStore files, String chain, CheckpointCursor cursor, Resume r) {
        this.files = files;
        this.chain = chain;
        this.cursor = cursor;
        this.r = r;
      }

      /** Compares every further checkpoint of at most {@code size} entries with the chain, now {@code size} long. */
      void upTo(long size) throws IOException {
        while (true) {
          if (next == null) {
            CheckpointCursor.Line line = cursor.next();
            if (line == null) {
              return;
            }
            try {
              next = Checkpoint.parse(line.whole() ? line.bytes() : new byte[0]);
            } catch (IllegalArgumentException e) {
              throw damaged(files, Math.max(0, lastSize), "checkpoint line " + line.number() + " after the point"
                  + " read from is malformed: " + e.getMessage());
            }
            if (!next.chain().equals(chain)) {
              throw damaged(files, next.size(), "checkpoint line " + line.number() + " is of chain " + next.chain()
                  + " (expected: " + chain + "; one directory holds one chain)");
            }
            if (next.size() < lastSize) {
              throw damaged(files, next.size(), "a checkpoint signs " + next.size() + " entries after one signed "
                  + lastSize + " (a chain only grows)");
            }
            lastSize = next.size();
          }
          if (next.size() > size) {
            return;
          }
          if (next.size() < size) {
            throw damaged(files, next.size(), "a checkpoint of size " + next.size() + " comes after the chain"
                + " passed that size (a chain only grows)");
          }
          if (!next.head().equals(new String(r.prevHex, StandardCharsets.US_ASCII))) {
            throw damaged(files, Math.max(0, size - 1), "hash differs from the head signed by the checkpoint of size "
                + size);
          }
          next = null;
        }
      }

      /** The checkpoints past the last entry: one that signs more entries than there are means some were lost. */
      void rest() throws IOException {
        upTo(r.size);
        if (next != null) {
          long max = next.size();
          for (CheckpointCursor.Line l = cursor.next(); l != null; l = cursor.next()) {
            max = Math.max(max, Checkpoint.parse(l.bytes()).size());
          }
          throw damaged(files, r.size, "a checkpoint covers " + max + " entries but only " + r.size
              + " are stored: entries were lost or removed");
        }
      }
    }

    /**
     * The saved state if it checks out against the files (see {@link ResumeState}); null, after saying why when
     * there was one, if the whole chain must be read.
     */
    private static @Nullable ResumeState usableState(SegmentFileStore files, String chain) {
      Path dir = files.dir();
      ResumeState state;
      try {
        state = ResumeState.load(dir);
      } catch (IOException | IllegalArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "ledger " + dir + ": " + ResumeState.FILE + " is unreadable (" + e
            + "); reading the whole chain");
        return null;
      }
      if (state == null) {
        return null;
      }
      String why;
      try {
        why = mismatch(state, dir, chain);
      } catch (IOException | IllegalArgumentException e) {
        why = e.toString();
      }
      if (why != null) {
        LOG.log(System.Logger.Level.WARNING, "ledger " + dir + ": " + ResumeState.FILE + " does not match the files ("
            + why + "); reading the whole chain");
        return null;
      }
      return state;
    }

    /** What in the files contradicts {@code state}, or null. */
    private static @Nullable String mismatch(ResumeState state, Path dir, String chain) throws IOException {
      if (!state.chain().equals(chain)) {
        return "chain " + state.chain() + " (expected: " + chain + ")";
      }
      if (!state.merkle().rootHex().equals(state.root())) {
        return "the Merkle edge does not give the root";
      }
      List<Path> segments = SegmentFileStore.segments(dir);
      int at = segments.indexOf(dir.resolve(state.segment()));
      if (at < 0) {
        return "no segment " + state.segment();
      }
      Path segment = segments.get(at);
      if (!endsLineAt(segment, state.offset())) {
        return state.segment() + " has no line ending at offset " + state.offset();
      }
      if (state.size() == 0) {
        if (at != 0 || state.offset() != 0) {
          return "size 0 but entries before " + state.segment() + " offset " + state.offset();
        }
      } else {
        Optional<byte[]> before = state.offset() > 0 ? SegmentLines.lastBefore(segment, state.offset())
            : at > 0 ? SegmentLines.last(segments.get(at - 1)) : Optional.empty();
        if (before.isEmpty()) {
          return "no entry before " + state.segment() + " offset " + state.offset();
        }
        byte[] line = before.get();
        Map<String, @Nullable Object> m = JsonParser.parseObject(line, 0, line.length);
        if (!Long.valueOf(state.size() - 1).equals(m.get(EntryDraft.SEQ)) || !chain.equals(m.get(EntryDraft.CHAIN))) {
          return "the entry before the offset is seq " + m.get(EntryDraft.SEQ) + " (expected: " + (state.size() - 1)
              + ")";
        }
        if (!Hex.encode(Sha256.newDigest().digest(line)).equals(state.head())) {
          return "the entry before the offset does not hash to the head";
        }
      }
      Path cpFile = dir.resolve(SegmentFileStore.CHECKPOINTS);
      if (!Files.exists(cpFile) || !endsLineAt(cpFile, state.checkpointsEnd())) {
        return SegmentFileStore.CHECKPOINTS + " has no line ending at " + state.checkpointsEnd();
      }
      Optional<byte[]> cpLine = SegmentLines.lastBefore(cpFile, state.checkpointsEnd());
      if (cpLine.isEmpty()) {
        return "no checkpoint before " + state.checkpointsEnd();
      }
      Checkpoint cp = Checkpoint.parse(cpLine.get());
      if (!cp.chain().equals(chain) || cp.size() != state.size() || !cp.head().equals(state.head())
          || !cp.root().equals(state.root())) {
        return "the checkpoint before " + state.checkpointsEnd() + " signs size " + cp.size() + " head " + cp.head()
            + " (expected: size " + state.size() + " head " + state.head() + ")";
      }
      return null;
    }

    /** Whether {@code offset} is 0 or follows a newline in {@code file} (false past its end). */
    private static boolean endsLineAt(Path file, long offset) throws IOException {
      if (offset == 0) {
        return true;
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
        ByteBuffer b = ByteBuffer.allocate(1);
        return ch.read(b, offset - 1) == 1 && b.get(0) == '\n';
      }
    }

    private static IllegalStateException damaged(LedgerStore store, long entry, String why) {
      String where = store instanceof SegmentFileStore s ? s.dir().toString() : store.getClass().getSimpleName();
      return new IllegalStateException("ledger " + where + " is damaged at entry " + entry + ": " + why
          + "; refusing to append to it (run: java -jar warden-audit-ledger.jar verify --dir " + where + ")");
    }
  }

  // ---------------------------------------------------------------------------------------------- appending

  /**
   * Appends an entry and returns once it is durable (per {@link LedgerOptions#durability()}).
   *
   * @throws LedgerUnavailableException if the ledger failed closed or is closed; nothing was recorded
   */
  public Appended append(EntryDraft draft) {
    try {
      return appendAsync(draft).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof LedgerUnavailableException lue) {
        // A fresh exception so the caller's stack shows where it was waiting.
        throw new LedgerUnavailableException(lue.getMessage(), lue);
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * Queues an entry; the future completes once it is durable, or exceptionally with
   * {@link LedgerUnavailableException}. The draft is serialized in the calling thread, so an invalid one fails here
   * with {@link IllegalArgumentException} and never reaches the writer.
   *
   * <p>Dependent actions registered without an executor ({@code thenApply}, not {@code thenApplyAsync}) may run
   * on the writer thread, delaying every other caller: keep them trivial or pass an executor.
   */
  public CompletableFuture<Appended> appendAsync(EntryDraft draft) {
    return appendTask(draft, true);
  }

  /**
   * Queues an entry nobody waits for (the outcome of a request already answered, say). It is written with the next
   * batch, in chain order like any other, but does not make that batch fsync on its own: it becomes durable with the
   * next fsync a waited append needs, or after {@link LedgerOptions#lazySyncDelay()} at the latest. Under load that
   * halves the fsyncs, since every request's response entry rides along with a later request's entry. The future
   * completes once the entry is durable, as for {@link #appendAsync}; with {@code lazySyncDelay} zero the two are
   * the same. A crash can lose lazy entries of the last {@code lazySyncDelay}.
   */
  public CompletableFuture<Appended> appendLazily(EntryDraft draft) {
    return appendTask(draft, options.lazySyncDelay().isZero());
  }

  private CompletableFuture<Appended> appendTask(EntryDraft draft, boolean waited) {
    requireNonNull(draft, "draft");
    AppendTask task = new AppendTask(prepare(draft), new CompletableFuture<>(), waited);
    enqueue(task, task.done);
    return task.done;
  }

  /** Forces a checkpoint now (after everything queued before it) and returns it. */
  public Checkpoint checkpoint() {
    CheckpointTask task = new CheckpointTask(new CompletableFuture<>());
    enqueue(task, task.done);
    try {
      return task.done.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private void enqueue(Task task, CompletableFuture<?> done) {
    LedgerUnavailableException f = failure;
    if (f != null) {
      done.completeExceptionally(f);
      return;
    }
    if (closing) {
      done.completeExceptionally(new LedgerUnavailableException("ledger " + options.dir() + " is closed", null));
      return;
    }
    try {
      queue.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      done.completeExceptionally(new LedgerUnavailableException("interrupted while waiting for queue space", e));
      return;
    }
    // The writer sets failure/stopped before its last drain: if we read them unset, it will still see our task;
    // if set, whichever of us removes the task from the queue fails it.
    if ((failure != null || stopped) && queue.remove(task)) {
      LedgerUnavailableException ff = failure;
      done.completeExceptionally(ff != null ? ff
          : new LedgerUnavailableException("ledger " + options.dir() + " is closed", null));
    }
  }

  private static Prepared prepare(EntryDraft draft) {
    TreeMap<String, Object> members = draft.members();
    String[] keys = new String[members.size()];
    byte[][] bytes = new byte[members.size()][];
    CanonicalJson json = new CanonicalJson(256);
    int i = 0;
    for (Map.Entry<String, Object> e : members.entrySet()) {
      keys[i] = e.getKey();
      bytes[i] = json.reset().string(e.getKey()).put(':').value(e.getValue()).toByteArray();
      i++;
    }
    return new Prepared(keys, bytes);
  }

  // ---------------------------------------------------------------------------------------------- the writer

  private void runWriter() {
    List<byte[]> lines = new ArrayList<>();
    List<AppendTask> appends = new ArrayList<>();
    List<Appended> results = new ArrayList<>();
    List<CheckpointTask> checkpointTasks = new ArrayList<>();
    try {
      boolean stop = false;
      while (!stop) {
        Task first = queue.poll(nanosUntilDue(), TimeUnit.NANOSECONDS);
        if (first == null) {
          if (unsyncedSinceNanos >= 0
              && System.nanoTime() - unsyncedSinceNanos >= options.lazySyncDelay().toNanos()) {
            syncLazy();
          }
          maybeCheckpoint();
          continue;
        }
        inFlight.clear();
        inFlight.add(first);
        queue.drainTo(inFlight, options.maxBatch() - 1);
        gather();
        lines.clear();
        appends.clear();
        results.clear();
        checkpointTasks.clear();
        boolean waited = false;
        Instant now = options.clock().instant();
        if (now.isBefore(lastTime)) {
          now = lastTime; // time in the chain never runs backwards, even if the wall clock does
        }
        lastTime = now;
        byte[] timeMember = CanonicalJson.encode(Map.of(EntryDraft.TIME, Rfc3339.format(now)));
        for (Task t : inFlight) {
          switch (t) {
            case AppendTask a -> {
              byte[] line = encode(a.entry, timeMember);
              sha.update(line);
              byte[] hash = sha.digest();
              prevHex = Hex.encode(hash).getBytes(StandardCharsets.US_ASCII);
              merkle.append(line, 0, line.length);
              lines.add(line);
              appends.add(a);
              waited |= a.waited();
              results.add(new Appended(chain, nextSeq, new String(prevHex, StandardCharsets.US_ASCII), now));
              nextSeq++;
            }
            case CheckpointTask c -> checkpointTasks.add(c);
            case StopTask s -> stop = true; // appends racing close() in this batch are still recorded
          }
        }
        if (!lines.isEmpty()) {
          if (waited || stop || !checkpointTasks.isEmpty()) {
            commit(lines, appends, results);
          } else {
            writeLazily(lines, appends, results);
          }
        }
        if (!checkpointTasks.isEmpty()) {
          Checkpoint cp = writeCheckpoint();
          checkpointTasks.forEach(c -> c.done.complete(cp));
        } else {
          maybeCheckpoint();
        }
        inFlight.clear();
      }
      writeCheckpoint(); // the graceful-stop checkpoint
      stopped = true;
      failQueued(new LedgerUnavailableException("ledger " + options.dir() + " is closed", null));
      closeStores();
    } catch (Throwable t) {
      failClosed(t);
    }
  }

  /**
   * Waits briefly for stragglers when this batch is smaller than the last one (like PostgreSQL's commit_delay).
   * Callers that each wait for their own entry resubmit one by one after a batch completes; without this the writer
   * takes the first few, and the rest arrive during that fsync and wait for two. The wait is at most half the last
   * sync (and {@link LedgerOptions#commitDelay()}), and never happens for a lone caller, whose batches never shrink.
   */
  private void gather() throws InterruptedException {
    int target = Math.min(lastBatchSize, options.maxBatch());
    long most = Math.min(lastSyncNanos / 2, options.commitDelay().toNanos());
    if (inFlight.size() >= target || most <= 0) {
      lastBatchSize = inFlight.size();
      return;
    }
    long deadline = System.nanoTime() + most;
    while (inFlight.size() < target) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      Task t = queue.poll(left, TimeUnit.NANOSECONDS);
      if (t == null) {
        break;
      }
      inFlight.add(t);
      queue.drainTo(inFlight, options.maxBatch() - inFlight.size());
    }
    lastBatchSize = inFlight.size();
  }

  private void commit(List<byte[]> lines, List<AppendTask> appends, List<Appended> results) throws IOException {
    writeStores(lines);
    if (options.durability() == Durability.FSYNC) {
      lastSyncNanos = syncStores();
      advanceHead();
      completeLazy(); // written before this batch, so durable with it
      complete(appends, results);
    } else {
      advanceHead();
      complete(appends, results);
      syncStores();
      unsyncedSinceNanos = -1;
    }
  }

  private void writeStores(List<byte[]> lines) throws IOException {
    LedgerStore r = replica;
    if (r != null) {
      r.write(lines); // first, so the replica's network round trip overlaps the local write and fsync
    }
    store.write(lines);
    unsyncedEntries += lines.size();
  }

  /** Syncs the store, then the replica; returns how long the local sync took. */
  private long syncStores() throws IOException {
    long t0 = System.nanoTime();
    store.sync();
    long took = System.nanoTime() - t0;
    LedgerStore r = replica;
    if (r != null) {
      r.sync();
    }
    int entries = unsyncedEntries;
    unsyncedEntries = 0;
    try {
      options.syncObserver().synced(entries, took);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "ledger sync observer failed (ignored): " + e, e);
    }
    return took;
  }

  /** Everything written so far is durable (or, relaxed, acknowledged): the head moves to the end of the chain. */
  private void advanceHead() {
    head = new Head(chain, nextSeq, new String(prevHex, StandardCharsets.US_ASCII));
  }

  /**
   * Writes a batch of lazy entries without an fsync: they are completed by the next sync (a waited batch, the lazy
   * deadline, a checkpoint or the stop), in order. In relaxed durability they are completed now, as every batch is.
   */
  private void writeLazily(List<byte[]> lines, List<AppendTask> appends, List<Appended> results) throws IOException {
    writeStores(lines);
    if (options.durability() == Durability.FSYNC) {
      unsyncedAppends.addAll(appends);
      unsyncedResults.addAll(results);
    } else {
      advanceHead();
      complete(appends, results);
    }
    if (unsyncedSinceNanos < 0) {
      unsyncedSinceNanos = System.nanoTime();
    }
  }

  /** Makes every lazily written entry durable now. */
  private void syncLazy() throws IOException {
    if (unsyncedSinceNanos < 0) {
      return;
    }
    syncStores();
    advanceHead();
    completeLazy();
  }

  private void completeLazy() {
    if (!unsyncedAppends.isEmpty()) {
      complete(unsyncedAppends, unsyncedResults);
      unsyncedAppends.clear();
      unsyncedResults.clear();
    }
    unsyncedSinceNanos = -1;
  }

  private static void complete(List<AppendTask> appends, List<Appended> results) {
    for (int i = 0; i < appends.size(); i++) {
      appends.get(i).done.complete(results.get(i));
    }
  }

  /** Merges the draft's members with the writer's four, in canonical order, into one line. */
  private byte[] encode(Prepared p, byte[] timeMember) {
    out.reset().put('{');
    int i = 0;
    boolean first = true;
    for (int w = 0; w < WRITER_KEYS.length; w++) {
      while (i < p.keys.length && p.keys[i].compareTo(WRITER_KEYS[w]) < 0) {
        first = comma(first);
        out.raw(p.members[i++]);
      }
      first = comma(first);
      switch (w) {
        case 0 -> out.raw(chainMember, 1, chainMember.length - 2);
        case 1 -> out.raw(PREV_OPEN).raw(prevHex).put('"');
        case 2 -> out.raw(SEQ_OPEN).number(nextSeq);
        default -> out.raw(timeMember, 1, timeMember.length - 2);
      }
    }
    while (i < p.keys.length) {
      first = comma(first);
      out.raw(p.members[i++]);
    }
    out.put('}');
    return out.toByteArray();
  }

  private boolean comma(boolean first) {
    if (!first) {
      out.put(',');
    }
    return false;
  }

  /** How long the writer may sleep: until the next checkpoint is due, or the lazy entries' deadline. */
  private long nanosUntilDue() {
    long nanos = TimeUnit.MILLISECONDS.toNanos(millisUntilCheckpointDue());
    if (unsyncedSinceNanos >= 0) {
      long lazyLeft = options.lazySyncDelay().toNanos() - (System.nanoTime() - unsyncedSinceNanos);
      nanos = Math.min(nanos, Math.max(1, lazyLeft));
    }
    return nanos;
  }

  private long millisUntilCheckpointDue() {
    long intervalMs = Math.max(1, options.checkpointInterval().toMillis());
    if (nextSeq == lastCheckpoint.size()) {
      return intervalMs;
    }
    long elapsedMs = (System.nanoTime() - lastCheckpointNanos) / 1_000_000;
    return Math.max(1, intervalMs - elapsedMs);
  }

  private void maybeCheckpoint() throws IOException {
    long pending = nextSeq - lastCheckpoint.size();
    if (pending <= 0) {
      return;
    }
    boolean countDue = pending >= options.checkpointEvery();
    boolean timeDue = System.nanoTime() - lastCheckpointNanos >= options.checkpointInterval().toNanos();
    if (countDue || timeDue) {
      writeCheckpoint();
    }
  }

  private Checkpoint writeCheckpoint() throws IOException {
    syncLazy(); // a checkpoint signs the head: everything it covers must be durable first
    Instant now = options.clock().instant();
    Checkpoint cp = Checkpoint.sign(chain, nextSeq, new String(prevHex, StandardCharsets.US_ASCII),
        merkle.rootHex(), now.isBefore(lastTime) ? lastTime : now, signingKey);
    byte[] line = cp.toLine();
    store.writeCheckpoint(line);
    LedgerStore r = replica;
    if (r != null) {
      r.writeCheckpoint(line);
    }
    lastCheckpoint = cp;
    lastCheckpointNanos = System.nanoTime();
    maybeSaveResume(cp);
    return cp;
  }

  /**
   * Saves where the chain stands ({@link ResumeState}) so that the next open reads only what comes after: at open,
   * at close, and otherwise at most every {@link #RESUME_EVERY_NANOS} (the next open then reads at most that much
   * of chain again). A failure to save costs only a longer open, so it is logged, never thrown.
   */
  private void maybeSaveResume(Checkpoint cp) {
    if (!(store instanceof SegmentFileStore files)) {
      return;
    }
    long now = System.nanoTime();
    if (lastResumeNanos != 0 && !closing && now - lastResumeNanos < RESUME_EVERY_NANOS) {
      return;
    }
    lastResumeNanos = now == 0 ? 1 : now;
    try {
      SegmentFileStore.Position at = files.position();
      new ResumeState(chain, cp.size(), cp.head(), cp.root(), merkle.edgeSizes(), merkle.edgeHashes(), at.segment(),
          at.offset(), at.checkpointsEnd()).save(options.dir());
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "ledger " + options.dir() + ": could not save " + ResumeState.FILE + " ("
          + e + "); the next open reads the whole chain");
    }
  }

  private void failClosed(Throwable t) {
    LedgerUnavailableException f = t instanceof LedgerUnavailableException l ? l
        : new LedgerUnavailableException("ledger " + options.dir() + " failed closed after " + t
            + "; no further entries are acknowledged (fsync is not retried; restart to recover)", t);
    failure = f; // before the last drain; see enqueue()
    LOG.log(System.Logger.Level.ERROR, f.getMessage(), t);
    for (Task task : inFlight) {
      fail(task, f);
    }
    for (AppendTask task : unsyncedAppends) {
      fail(task, f);
    }
    unsyncedAppends.clear();
    unsyncedResults.clear();
    failQueued(f);
    closeStores();
  }

  private void failQueued(LedgerUnavailableException f) {
    List<Task> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (Task task : rest) {
      fail(task, f);
    }
  }

  private static void fail(Task task, LedgerUnavailableException f) {
    switch (task) {
      case AppendTask a -> a.done.completeExceptionally(f);
      case CheckpointTask c -> c.done.completeExceptionally(f);
      case StopTask s -> {}
    }
  }

  private void closeStores() {
    closeQuietly(store);
    if (replica != null) {
      closeQuietly(replica);
    }
  }

  private static void closeQuietly(LedgerStore s) {
    try {
      s.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "closing ledger store " + s.getClass().getSimpleName() + ": " + e, e);
    }
  }

  // ---------------------------------------------------------------------------------------------- the rest

  /**
   * How many stored entries {@link #open} read to check the chain: all of them, or only those after the point saved
   * at the last checkpoint before the previous close ({@link #resumedAtOnOpen()}; see {@code resume.json} in the
   * README).
   */
  public long entriesReadOnOpen() {
    return readOnOpen;
  }

  /** The chain size open() went on from without reading the entries before it; 0 if it read the whole chain. */
  public long resumedAtOnOpen() {
    return resumedAt;
  }

  /** The durable end of the chain. */
  public Head head() {
    return head;
  }

  /** The newest checkpoint written. */
  public Checkpoint lastCheckpoint() {
    return lastCheckpoint;
  }

  /** False once the ledger failed closed or was closed: the gateway's readiness check and 503 switch. */
  public boolean healthy() {
    return failure == null && !closing;
  }

  /**
   * What opening repaired (batches written back from the write-ahead journal into segments that lost them, a torn
   * trailing line cut), empty when the ledger was clean.
   */
  public Recovery recovery() {
    return recovery;
  }

  public String chainId() {
    return chain;
  }

  public Path dir() {
    return options.dir();
  }

  /** The id of the key signing this ledger's checkpoints. */
  public String signingKeyId() {
    return signingKey.keyId();
  }

  /**
   * The keyed digest of a body, {@code hmac-sha256:<hex>}, for {@code request_digest}/{@code response_digest}.
   * Keyed so that a short or guessable body cannot be recovered by hashing candidates.
   */
  public String digest(byte[] body) {
    return digester.digest(requireNonNull(body, "body"));
  }

  /** The pseudonymous reference under which {@code subject}'s data is recorded. */
  public String subjectRef(String subject) {
    return digester.subjectRef(requireNonNull(subject, "subject"));
  }

  /**
   * Encrypts a body under its data subject's key for today (UTC, by {@link LedgerOptions#clock()}), for
   * {@code requestBody}/{@code responseBody} of a draft.
   */
  public SealedBody seal(String subject, byte[] body) {
    return subjects.seal(requireNonNull(subject, "subject"), requireNonNull(body, "body"), options.clock().instant());
  }

  /**
   * The plain body, or empty once its subject was erased or its day expired.
   *
   * @throws IllegalArgumentException if the body was edited: it does not decrypt, or names a day its subject has
   *     no key for although that day neither expired nor was erased
   */
  public Optional<byte[]> unseal(SealedBody body) {
    return subjects.unseal(requireNonNull(body, "body"));
  }

  /**
   * Applies {@link LedgerOptions#bodyRetention()} now (by {@link LedgerOptions#clock()}): deletes the key folders of
   * every UTC day older than the retention, so bodies sealed on those days become unreadable, and appends one entry
   * saying so. Nothing to delete, nothing appended. The ledger runs this itself on open and then every
   * {@link LedgerOptions#bodyRetentionCheckInterval()}; call it to apply the retention at once.
   *
   * <p>The folder of day {@code D} goes once day {@code D + retention} has fully passed. The entry is of kind
   * {@code erasure}, without a {@code subject} (a subject erasure always names one), with {@code decision}
   * {@code expired} and these {@code attrs}:
   *
   * <pre>{"days":"1","expired_through":"2026-10-25","keys":"41",
   *  "reason":"body retention P30D: keys of bodies sealed through 2026-10-25 deleted","retention":"P30D"}</pre>
   *
   * <p>{@code expired_through} is the policy boundary: every key of that day and before is gone (so an entry lost to
   * a crash between deleting and recording is covered by the next one); {@code days} and {@code keys} count what
   * this run deleted.
   *
   * @throws IllegalStateException if no retention is configured
   * @throws java.io.UncheckedIOException if keys cannot be deleted
   * @throws LedgerUnavailableException if the keys were deleted but the entry could not be appended
   */
  public BodyExpiry expireBodies() {
    BodyRetention r = retention;
    if (r == null) {
      throw new IllegalStateException("ledger " + options.dir() + " has no body retention (expected: "
          + "LedgerOptions.builder().bodyRetention(Duration.ofDays(n)))");
    }
    return r.expire(options.clock().instant());
  }

  /**
   * Erases a data subject (GDPR Art. 17): deletes the subject's keys of every day (and its key from before keys
   * were kept per day), so every body sealed for the subject becomes unreadable, then appends an {@code erasure}
   * tombstone naming the subject reference. The entries themselves stay, so the chain still verifies. The keys go
   * first: if the tombstone cannot be written the erasure has still happened, and calling again is harmless. A body
   * sealed for the subject while this runs is under a key this deletes or under a new key made after it.
   */
  public Appended erase(String subject, @Nullable Actor actor, @Nullable String reason) {
    String ref = subjects.erase(requireNonNull(subject, "subject"));
    EntryDraft.Builder b = EntryDraft.builder().kind(EntryKind.ERASURE).actor(actor).subject(ref);
    if (reason != null) {
      b.attr("reason", reason);
    }
    return append(b.build());
  }

  /** Stops the retention schedule, drains queued appends, writes a final checkpoint, closes the stores. Idempotent. */
  @Override
  public void close() {
    BodyRetention r = retention;
    if (r != null) {
      r.close(); // first, so a run under way can still record what it deleted
    }
    synchronized (this) {
      if (closing) {
        joinWriter();
        return;
      }
      closing = true;
    }
    if (failure == null && writer.isAlive()) {
      boolean interrupted = false;
      while (true) {
        try {
          queue.put(new StopTask());
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    joinWriter();
  }

  private void joinWriter() {
    if (Thread.currentThread() == writer) {
      return; // close() from a callback run by the writer: it stops after this batch, it cannot wait for itself
    }
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
