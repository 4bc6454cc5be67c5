package dev.warden.ledger.crypto;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.SealedBody;
import dev.warden.ledger.store.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * AES-256 data keys per data subject and UTC day ("epoch"), one file per key, named by the subject's pseudonymous
 * reference so that no file name reveals who the subject is:
 *
 * <pre>
 * keys/subjects/2026-11-25/subj-3f9a….key   the key of (subject, day) for bodies sealed that day
 * keys/subjects/subj-3f9a….key              a subject's single key from before keys were kept per day (read only)
 * keys/subjects/erased/subj-3f9a…           marker: the subject was erased (empty file)
 * keys/subjects/expired-through             the newest day whose keys were expired, e.g. 2026-10-25
 * </pre>
 *
 * <p>Why keys at all: entries are immutable (the chain hashes them), so a body cannot be deleted from the ledger.
 * Crypto-shredding makes deletion possible anyway: deleting a key makes every body sealed under it unreadable,
 * while the ciphertext (and so every hash in the chain) stays as it was. A key per subject lets one subject be
 * erased ({@link #erase}); a key per day lets bodies expire by deleting whole day folders ({@link #expireBefore}).
 *
 * <p>Why the markers: a key can be missing because its day expired, because its subject was erased, or because the
 * body's {@code epoch} was edited to a day the subject has no key for. The first two are the point of this class and
 * read as "no longer readable"; the third is tampering and fails loudly. Bodies in the old format (no day) keep
 * reading as erased when their key is missing, since erasures made before the markers existed left none. The marker
 * also explains a body that does not decrypt under the key found: a subject erased and back the same day has a new
 * key where the erased one was. So a body of an erased subject reads as erased even if it was edited; whatever it
 * held is gone either way, and the chain verifier still reports the edit.
 *
 * <p>Thread-safe. Creating a key, erasing and expiring exclude each other, so an erasure never races a key being
 * created for the same subject: a body sealed while {@link #erase} runs is either under a key the erasure deletes
 * or under a new key made after it, never under a deleted key brought back.
 */
public final class SubjectKeyStore {
  private static final int TAG_BITS = 128;
  private static final Pattern DAY_FOLDER = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern SUBJECT_REF = Pattern.compile("subj-[0-9a-f]{40}");
  private static final String KEY_SUFFIX = ".key";
  private static final String ERASED = "erased";
  private static final String EXPIRED_THROUGH = "expired-through";

  private final Path dir;
  private final BodyDigester digester;
  private final SecureRandom random = new SecureRandom();
  // Read: creating or loading a key to seal with. Write: erasing, expiring. Cached keys are used without the lock.
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  // Only the newest day's keys are cached: bodies are sealed under today's key, older keys are read from disk.
  private final AtomicReference<DayKeys> today = new AtomicReference<>(new DayKeys(LocalDate.MIN));

  private record DayKeys(LocalDate day, ConcurrentHashMap<String, byte[]> keys) {
    DayKeys(LocalDate day) {
      this(day, new ConcurrentHashMap<>());
    }
  }

  /** What {@link #expireBefore} deleted: the day folders, oldest first, and how many keys they held. */
  public record Expired(List<LocalDate> days, int keys) {
    public Expired {
      days = List.copyOf(days);
    }
  }

  public SubjectKeyStore(Path dir, BodyDigester digester) {
    this.dir = requireNonNull(dir, "dir");
    this.digester = requireNonNull(digester, "digester");
  }

  /** The UTC day whose key seals a body sealed at {@code time}. */
  public static LocalDate epochOf(Instant time) {
    return LocalDate.ofInstant(time, ZoneOffset.UTC);
  }

  /**
   * Encrypts {@code body} under the key of ({@code subject}, the UTC day of {@code now}), creating and durably
   * storing the key on first use that day.
   */
  public SealedBody seal(String subject, byte[] body, Instant now) {
    String ref = digester.subjectRef(subject);
    LocalDate day = epochOf(now);
    byte[] key = sealingKey(ref, day);
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      c.updateAAD(aad(ref, day));
      return new SealedBody(ref, iv, c.doFinal(body), day);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is required by the Java SE specification", e);
    }
  }

  /**
   * The plain body, or empty if its key was deleted by an erasure of its subject or by expiry of its day.
   *
   * @throws IllegalArgumentException if the body does not decrypt although its subject was never erased (ciphertext,
   *     subject or epoch edited), or names a day on which its subject has no key although that day has not expired
   *     and the subject was not erased (the epoch was edited)
   */
  public Optional<byte[]> unseal(SealedBody sealed) {
    String ref = sealed.subject();
    if (!SUBJECT_REF.matcher(ref).matches()) {
      // Read from a ledger line and used in a file name: anything else could point outside keys/subjects/.
      throw new IllegalArgumentException("sealed body subject \"" + ref + "\" (expected: subj- and 40 hex digits)");
    }
    LocalDate day = sealed.epoch();
    byte[] key;
    if (day == null) {
      Optional<byte[]> legacy = load(legacyFile(ref));
      if (legacy.isEmpty()) {
        return Optional.empty(); // erased: erasures before day keys left no marker to check
      }
      key = legacy.get();
    } else {
      DayKeys cached = today.get();
      byte[] k = cached.day.equals(day) ? cached.keys.get(ref) : null;
      if (k == null) {
        Optional<byte[]> loaded = load(dayFile(ref, day));
        if (loaded.isEmpty()) {
          if (!day.isAfter(expiredThrough()) || Files.exists(erasedMarker(ref))) {
            return Optional.empty();
          }
          throw new IllegalArgumentException("sealed body for " + ref + " names epoch " + day + ", but " + ref
              + " has no key for that day, the day has not expired (expired through " + expiredThroughText()
              + ") and the subject was not erased (expected: the day the body was sealed; was the entry edited?)");
        }
        k = loaded.get();
      }
      key = k;
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, sealed.iv()));
      c.updateAAD(aad(ref, day));
      return Optional.of(c.doFinal(sealed.ciphertext()));
    } catch (AEADBadTagException e) {
      if (Files.exists(erasedMarker(ref))) {
        // Sealed under a key the erasure deleted; the key found is one made when the subject came back that day.
        return Optional.empty();
      }
      throw new IllegalArgumentException("sealed body for " + ref + (day == null ? "" : " of epoch " + day)
          + " does not decrypt: " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("sealed body for " + ref + (day == null ? "" : " of epoch " + day)
          + " does not decrypt: " + e, e);
    }
  }

  /**
   * Deletes every key of {@code subject}, on every day and in the old per-subject location, durably. Returns the
   * subject reference (for the tombstone). Calling it again is harmless.
   */
  public String erase(String subject) {
    String ref = digester.subjectRef(subject);
    lock.writeLock().lock();
    try {
      // The marker first: if deleting fails half way, the keys already gone still read as erased, not as tampering.
      DurableFiles.writeAtomically(erasedMarker(ref), new byte[0], true);
      today.get().keys.remove(ref);
      deleteKeyFiles(dir, ref);
      for (LocalDate day : days()) {
        deleteKeyFiles(dayFolder(day), ref);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the keys of " + ref + ": " + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
    return ref;
  }

  /**
   * Deletes the key folders of every day before {@code firstKept}, durably, oldest first, so every body sealed on
   * those days becomes unreadable. The new horizon is stored before anything is deleted, so a crash part way leaves
   * keys that the next call deletes, never a missing key that reads as tampering.
   */
  public Expired expireBefore(LocalDate firstKept) {
    requireNonNull(firstKept, "firstKept");
    lock.writeLock().lock();
    try {
      List<LocalDate> days = new ArrayList<>();
      for (LocalDate day : days()) {
        if (day.isBefore(firstKept)) {
          days.add(day);
        }
      }
      if (days.isEmpty()) {
        return new Expired(List.of(), 0);
      }
      LocalDate through = days.getLast();
      if (through.isAfter(expiredThrough())) {
        DurableFiles.writeAtomically(dir.resolve(EXPIRED_THROUGH),
            through.toString().getBytes(StandardCharsets.US_ASCII), false);
      }
      if (today.get().day.isBefore(firstKept)) {
        today.set(new DayKeys(LocalDate.MIN)); // only ever the case when a test's clock jumps forward
      }
      int keys = 0;
      for (LocalDate day : days) {
        for (String name : DurableFiles.deleteDirectoryDurably(dayFolder(day))) {
          if (name.endsWith(KEY_SUFFIX)) {
            keys++;
          }
        }
      }
      return new Expired(days, keys);
    } catch (IOException e) {
      throw new UncheckedIOException("could not expire the body keys in " + dir + " before " + firstKept + ": "
          + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The days that have a key folder, oldest first. */
  public List<LocalDate> days() {
    List<LocalDate> days = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (DAY_FOLDER.matcher(name).matches() && Files.isDirectory(p)) {
          try {
            days.add(LocalDate.parse(name));
          } catch (DateTimeParseException e) {
            // 2026-13-45: not a folder this class made; left alone
          }
        }
      }
    } catch (NoSuchFileException e) {
      return days;
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + dir + ": " + e.getMessage(), e);
    }
    days.sort(null);
    return days;
  }

  private byte[] sealingKey(String ref, LocalDate day) {
    DayKeys cached = today.get();
    if (cached.day.equals(day)) {
      byte[] key = cached.keys.get(ref);
      if (key != null) {
        return key;
      }
    }
    lock.readLock().lock();
    try {
      DayKeys current = today.updateAndGet(d -> day.isAfter(d.day) ? new DayKeys(day) : d);
      if (current.day.equals(day)) {
        // computeIfAbsent runs loadOrCreate once per key; an erase waits for the read lock, so it cannot remove the
        // key between its creation and its caching.
        return current.keys.computeIfAbsent(ref, r -> loadOrCreate(r, day));
      }
      return loadOrCreate(ref, day); // a caller whose clock reading is older than another's: rare, not cached
    } finally {
      lock.readLock().unlock();
    }
  }

  private byte[] loadOrCreate(String ref, LocalDate day) {
    Path file = dayFile(ref, day);
    Optional<byte[]> existing = load(file);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    try {
      if (DurableFiles.createExclusively(file, Base64.getEncoder().encode(key), true)) {
        return key;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not store a new key for " + ref + " on " + day + ": " + e.getMessage(), e);
    }
    // Created a moment ago by another caller sealing on the same day: use theirs.
    return load(file).orElseThrow(() -> new IllegalStateException(file + " exists but cannot be read"));
  }

  private static byte[] aad(String ref, @Nullable LocalDate day) {
    // Old format: the subject alone. Day keys: "subj-…/2026-11-25", which no subject reference alone can equal.
    return (day == null ? ref : ref + "/" + day).getBytes(StandardCharsets.US_ASCII);
  }

  private static void deleteKeyFiles(Path folder, String ref) throws IOException {
    // The key and any temporary file a crashed creation left beside it.
    try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, ref + KEY_SUFFIX + "*")) {
      for (Path f : files) {
        DurableFiles.deleteDurably(f);
      }
    } catch (NoSuchFileException e) {
      // the day expired meanwhile
    }
  }

  private LocalDate expiredThrough() {
    Path f = dir.resolve(EXPIRED_THROUGH);
    try {
      return LocalDate.parse(Files.readString(f, StandardCharsets.US_ASCII).strip());
    } catch (NoSuchFileException e) {
      return LocalDate.MIN;
    } catch (IOException | DateTimeParseException e) {
      throw new IllegalStateException("could not read " + f + " (expected: a day, yyyy-mm-dd): " + e.getMessage(), e);
    }
  }

  private String expiredThroughText() {
    LocalDate d = expiredThrough();
    return d.equals(LocalDate.MIN) ? "none" : d.toString();
  }

  private Path dayFolder(LocalDate day) {
    return dir.resolve(day.toString());
  }

  private Path dayFile(String ref, LocalDate day) {
    return dayFolder(day).resolve(ref + KEY_SUFFIX);
  }

  private Path legacyFile(String ref) {
    return dir.resolve(ref + KEY_SUFFIX);
  }

  private Path erasedMarker(String ref) {
    return dir.resolve(ERASED).resolve(ref);
  }

  private static Optional<byte[]> load(Path file) {
    try {
      return Optional.of(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the key " + file + ": " + e.getMessage(), e);
    }
  }
}
