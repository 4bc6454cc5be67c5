package dev.warden.ledger.crypto;

import dev.warden.ledger.SealedBody;
import dev.warden.ledger.store.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 data key per data subject, one file per key under {@code keys/subjects/}, named by the subject's
 * pseudonymous reference so no file name reveals who the subject is.
 *
 * <p>Why a key per subject: entries are immutable (the chain hashes them), so a body cannot be deleted from the
 * ledger. Crypto-shredding makes erasure possible anyway: deleting the subject's key makes every body sealed under
 * it unreadable, while the ciphertext (and so every hash in the chain) stays as it was.
 */
public final class SubjectKeyStore {
  private static final int TAG_BITS = 128;

  private final Path dir;
  private final BodyDigester digester;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentHashMap<String, byte[]> cache = new ConcurrentHashMap<>();

  public SubjectKeyStore(Path dir, BodyDigester digester) {
    this.dir = dir;
    this.digester = digester;
  }

  /** Encrypts {@code body} under {@code subject}'s key, creating (and durably storing) the key on first use. */
  public SealedBody seal(String subject, byte[] body) {
    String ref = digester.subjectRef(subject);
    byte[] key = cache.computeIfAbsent(ref, this::loadOrCreate);
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
      // The subject reference is authenticated data: a body cannot be moved under another subject unnoticed.
      c.updateAAD(ref.getBytes(StandardCharsets.US_ASCII));
      return new SealedBody(ref, iv, c.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is required by the Java SE specification", e);
    }
  }

  /** The plain body, or empty if the subject's key was erased. Fails if the ciphertext was tampered with. */
  public Optional<byte[]> unseal(SealedBody sealed) {
    byte[] key = cache.get(sealed.subject());
    if (key == null) {
      Optional<byte[]> loaded = load(sealed.subject());
      if (loaded.isEmpty()) {
        return Optional.empty();
      }
      key = loaded.get();
    }
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, sealed.iv()));
      c.updateAAD(sealed.subject().getBytes(StandardCharsets.US_ASCII));
      return Optional.of(c.doFinal(sealed.ciphertext()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("sealed body for " + sealed.subject() + " does not decrypt: " + e, e);
    }
  }

  /** Deletes {@code subject}'s key durably. Returns the subject reference (for the tombstone). */
  public String erase(String subject) {
    String ref = digester.subjectRef(subject);
    cache.remove(ref);
    try {
      DurableFiles.deleteDurably(file(ref));
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the key of " + ref, e);
    }
    cache.remove(ref); // a concurrent seal may have reloaded it between the two removals; erase wins
    return ref;
  }

  private Path file(String ref) {
    return dir.resolve(ref + ".key");
  }

  private Optional<byte[]> load(String ref) {
    try {
      return Optional.of(Base64.getDecoder().decode(Files.readString(file(ref)).strip()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the key of " + ref, e);
    }
  }

  private byte[] loadOrCreate(String ref) {
    Optional<byte[]> existing = load(ref);
    if (existing.isPresent()) {
      return existing.get();
    }
    byte[] key = new byte[32];
    random.nextBytes(key);
    try {
      DurableFiles.writeAtomically(file(ref), Base64.getEncoder().encode(key), true);
    } catch (IOException e) {
      throw new UncheckedIOException("could not store a new key for " + ref, e);
    }
    return key;
  }
}
