package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.checkpoint.SigningKey;
import dev.warden.ledger.store.LedgerStore;
import dev.warden.ledger.store.SegmentFileStore;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * How to open a {@link Ledger}. Only {@link Builder#dir} is required:
 *
 * <pre>{@code
 * Ledger ledger = Ledger.open(LedgerOptions.builder()
 *     .dir(dataDir.resolve("ledger"))
 *     .chainId("gw-1")                               // one chain per gateway replica
 *     .signingKey(SigningKey.fromPkcs8("ops-2026-01", pkcs8Base64, null))
 *     .build());
 * }</pre>
 *
 * @param dir the ledger directory (segments, checkpoints, {@code keys/})
 * @param chainId this writer's chain; every entry and checkpoint names it
 * @param signingKey the checkpoint key; when absent a demo key is generated once and kept in {@code keys/}
 * @param digestKey the HMAC key for body digests and subject references; when absent one is generated once and
 *     kept in {@code keys/digest.key}
 * @param journal whether the default store writes through its write-ahead journal ({@code journal.wal}; default
 *     false here, true in the gateway; ADR 0003): each batch is made durable by an fdatasync of that fixed-size file
 *     instead of the growing segment, about half the cost. Ignored when a {@code store} is given. See
 *     {@link SegmentFileStore}
 * @param journalBytes the journal's size (default 32 MiB)
 * @param store where entries go; defaults to {@link SegmentFileStore} on {@code dir}
 * @param replica an optional second store every batch is also made durable in before acknowledgement (Kafka)
 * @param bodyRetention how long sealed bodies stay readable, in whole days; {@code null} keeps them until their
 *     subject is erased. See {@link Ledger#expireBodies()}
 * @param bodyRetentionCheckInterval how often the ledger applies {@code bodyRetention} after doing so on open
 * @param lazySyncDelay how long an entry queued with {@link Ledger#appendLazily} may wait, written but not yet
 *     fsync'd, for a waited append to share an fsync with (default 5 ms; zero makes lazy appends waited ones)
 * @param syncObserver told of each group commit's fsync (entries and duration), for metrics
 * @param commitDelay the longest the writer waits for more appends when a batch comes out smaller than the last one
 *     (at most half the last fsync, and never for a lone caller; default 2 ms, zero never waits). It pays for
 *     closed-loop callers that each resubmit right after their append completes (35-60 % more throughput with 64
 *     of them); where appends come from independent requests, as in the gateway, it only adds to their wait
 */
public record LedgerOptions(
    Path dir,
    String chainId,
    @Nullable SigningKey signingKey,
    byte @Nullable [] digestKey,
    Durability durability,
    Duration checkpointInterval,
    int checkpointEvery,
    long maxSegmentBytes,
    boolean journal,
    long journalBytes,
    int maxBatch,
    int maxPending,
    @Nullable LedgerStore store,
    @Nullable LedgerStore replica,
    Clock clock,
    @Nullable Duration bodyRetention,
    Duration bodyRetentionCheckInterval,
    Duration lazySyncDelay,
    SyncObserver syncObserver,
    Duration commitDelay) {

  public static final String DEFAULT_CHAIN = "main";

  public LedgerOptions {
    requireNonNull(dir, "dir");
    ChainRules.requireValidChainId(requireNonNull(chainId, "chainId"));
    requireNonNull(durability, "durability");
    requireNonNull(checkpointInterval, "checkpointInterval");
    requireNonNull(clock, "clock");
    requireNonNull(bodyRetentionCheckInterval, "bodyRetentionCheckInterval");
    if (bodyRetention != null && (bodyRetention.compareTo(Duration.ofDays(1)) < 0
        || !bodyRetention.equals(Duration.ofDays(bodyRetention.toDays())))) {
      // Keys are kept per UTC day, so retention is counted in days; anything finer would only pretend to be exact.
      throw new IllegalArgumentException("bodyRetention " + bodyRetention + " (expected: whole days, at least P1D, "
          + "e.g. Duration.ofDays(30))");
    }
    if (bodyRetentionCheckInterval.compareTo(Duration.ofMillis(10)) < 0
        || bodyRetentionCheckInterval.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("bodyRetentionCheckInterval " + bodyRetentionCheckInterval
          + " (expected: 10ms..1d; a check more than a day apart would keep bodies a day too long)");
    }
    if (checkpointInterval.isNegative() || checkpointInterval.isZero() || checkpointInterval.toSeconds() > 3600) {
      throw new IllegalArgumentException("checkpointInterval " + checkpointInterval + " (expected: 1ms..1h)");
    }
    range("checkpointEvery", checkpointEvery, 1, 1_000_000);
    requireNonNull(lazySyncDelay, "lazySyncDelay");
    requireNonNull(syncObserver, "syncObserver");
    requireNonNull(commitDelay, "commitDelay");
    if (commitDelay.isNegative() || commitDelay.compareTo(Duration.ofMillis(100)) > 0) {
      throw new IllegalArgumentException("commitDelay " + commitDelay + " (expected: 0..100ms)");
    }
    if (lazySyncDelay.isNegative() || lazySyncDelay.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("lazySyncDelay " + lazySyncDelay + " (expected: 0..1s)");
    }
    if (journal) {
      range("journalBytes", journalBytes, SegmentFileStore.MIN_JOURNAL_BYTES, SegmentFileStore.MAX_JOURNAL_BYTES);
    }
    range("maxBatch", maxBatch, 1, 1 << 16);
    range("maxPending", maxPending, 1, 1 << 24);
    if (digestKey != null && digestKey.length < 32) {
      throw new IllegalArgumentException("digestKey of " + digestKey.length + " bytes (expected: >= 32)");
    }
    digestKey = digestKey == null ? null : digestKey.clone();
  }

  private static void range(String name, long v, long min, long max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(name + " " + v + " (expected: " + min + ".." + max + ")");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String toString() {
    return "LedgerOptions[dir=" + dir + ", chainId=" + chainId + ", signingKey="
        + (signingKey == null ? "demo" : signingKey.keyId()) + ", digestKey=" + (digestKey == null ? "generated" : "****")
        + ", durability=" + durability + ", checkpointInterval=" + checkpointInterval + ", checkpointEvery="
        + checkpointEvery + ", journal=" + (journal ? journalBytes + " bytes" : "off") + ", commitDelay=" + commitDelay
        + ", replica=" + (replica == null ? "none" : replica.getClass().getSimpleName())
        + ", bodyRetention=" + (bodyRetention == null ? "forever" : "P" + bodyRetention.toDays() + "D") + "]";
  }

  public static final class Builder {
    private @Nullable Path dir;
    private String chainId = DEFAULT_CHAIN;
    private @Nullable SigningKey signingKey;
    private byte @Nullable [] digestKey;
    private Durability durability = Durability.FSYNC;
    private Duration checkpointInterval = Duration.ofSeconds(1);
    private Duration lazySyncDelay = Duration.ofMillis(5);
    private Duration commitDelay = Duration.ofMillis(2);
    private int checkpointEvery = 5_000;
    private long maxSegmentBytes = SegmentFileStore.DEFAULT_MAX_SEGMENT_BYTES;
    private boolean journal = false;
    private long journalBytes = SegmentFileStore.DEFAULT_JOURNAL_BYTES;
    private int maxBatch = 8_192;
    private int maxPending = 262_144;
    private @Nullable LedgerStore store;
    private @Nullable LedgerStore replica;
    private Clock clock = Clock.systemUTC();
    private @Nullable Duration bodyRetention;
    private Duration bodyRetentionCheckInterval = Duration.ofHours(1);
    private SyncObserver syncObserver = SyncObserver.NONE;

    private Builder() {}

    public Builder dir(Path dir) {
      this.dir = requireNonNull(dir, "dir");
      return this;
    }

    public Builder chainId(String chainId) {
      this.chainId = requireNonNull(chainId, "chainId");
      return this;
    }

    public Builder signingKey(@Nullable SigningKey key) {
      this.signingKey = key;
      return this;
    }

    /** The checkpoint key as base64 PKCS#8 (or PEM), e.g. straight from a secret store. */
    public Builder signingKeyPkcs8(String keyId, String pkcs8Base64, @Nullable PublicKey publicKey) {
      this.signingKey = SigningKey.fromPkcs8(keyId, pkcs8Base64, publicKey);
      return this;
    }

    public Builder digestKey(byte @Nullable [] key) {
      this.digestKey = key == null ? null : key.clone();
      return this;
    }

    public Builder digestKeyBase64(String key) {
      return digestKey(Base64.getDecoder().decode(key.strip()));
    }

    public Builder durability(Durability durability) {
      this.durability = requireNonNull(durability, "durability");
      return this;
    }

    /** Longest time between checkpoints while entries are being appended (default 1 s). */
    public Builder checkpointInterval(Duration interval) {
      this.checkpointInterval = requireNonNull(interval, "interval");
      return this;
    }

    /** Most entries between checkpoints (default 5,000). */
    public Builder checkpointEvery(int entries) {
      this.checkpointEvery = entries;
      return this;
    }

    public Builder maxSegmentBytes(long bytes) {
      this.maxSegmentBytes = bytes;
      return this;
    }

    /**
     * Whether the segment file store makes batches durable through its write-ahead journal {@code journal.wal}
     * or by fdatasync of the segment itself (the library's default; the gateway turns the journal on, ADR 0003).
     * A journal left by an earlier run is replayed on open either way. Ignored when {@link #store} is given.
     */
    public Builder journal(boolean journal) {
      this.journal = journal;
      return this;
    }

    /** The write-ahead journal's size (default 32 MiB, at least 4 KiB, rounded up to a multiple of 4 KiB). */
    public Builder journalBytes(long bytes) {
      this.journalBytes = bytes;
      return this;
    }

    /** Most entries written and forced together (default 8,192). */
    public Builder maxBatch(int entries) {
      this.maxBatch = entries;
      return this;
    }

    /** Most appends queued for the writer; further callers wait (default 262,144). */
    public Builder maxPending(int entries) {
      this.maxPending = entries;
      return this;
    }

    /** Replaces the segment file store (tests inject failures this way). */
    public Builder store(@Nullable LedgerStore store) {
      this.store = store;
      return this;
    }

    public Builder replica(@Nullable LedgerStore replica) {
      this.replica = replica;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long sealed bodies stay readable, in whole days (e.g. {@code Duration.ofDays(30)}); {@code null}, the
     * default, keeps them until their subject is erased. Applied on open and then every
     * {@link #bodyRetentionCheckInterval}; see {@link Ledger#expireBodies()}.
     */
    public Builder bodyRetention(@Nullable Duration retention) {
      this.bodyRetention = retention;
      return this;
    }

    /** See {@link LedgerOptions#commitDelay()} (default 2 ms; zero: a batch is written as soon as it is taken). */
    public Builder commitDelay(Duration delay) {
      this.commitDelay = requireNonNull(delay, "delay");
      return this;
    }

    /**
     * How long a lazily appended entry ({@link Ledger#appendLazily}) may stay written but not fsync'd, waiting to
     * share the fsync of a waited append (default 5 ms; zero: every batch is fsync'd at once, as before).
     */
    public Builder lazySyncDelay(Duration delay) {
      this.lazySyncDelay = requireNonNull(delay, "delay");
      return this;
    }

    /** Told of each group commit's fsync on the writer thread (default: nobody); see {@link SyncObserver}. */
    public Builder syncObserver(SyncObserver observer) {
      this.syncObserver = requireNonNull(observer, "observer");
      return this;
    }

    /** How often retention is applied while the ledger is open (default 1 h). */
    public Builder bodyRetentionCheckInterval(Duration interval) {
      this.bodyRetentionCheckInterval = requireNonNull(interval, "interval");
      return this;
    }

    public LedgerOptions build() {
      if (dir == null) {
        throw new IllegalStateException("dir is required (expected: the ledger directory, e.g. <data-dir>/ledger)");
      }
      return new LedgerOptions(dir, chainId, signingKey, digestKey, durability, checkpointInterval, checkpointEvery,
          maxSegmentBytes, journal, journalBytes, maxBatch, maxPending, store, replica, clock, bodyRetention, bodyRetentionCheckInterval,
          lazySyncDelay, syncObserver, commitDelay);
    }
  }
}
