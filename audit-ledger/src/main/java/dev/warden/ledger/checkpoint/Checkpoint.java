package dev.warden.ledger.checkpoint;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.json.CanonicalJson;
import dev.warden.ledger.json.JsonParser;
import dev.warden.ledger.json.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A signed statement "chain {@code chain} had {@code size} entries, the last of which hashes to {@code head}, at
 * {@code time}". One line of {@code checkpoints.jsonl}:
 *
 * <pre>{"chain":"gw-1","head":"9f…","key_id":"ed25519-…","root":"4c…","sig":"…","size":5000,"time":"…Z"}</pre>
 *
 * <p>The signature is Ed25519 over the canonical JSON of every other member (the line without {@code sig}), so a
 * verifier needs nothing but the line and the public key. {@code root} is the RFC 9162 Merkle tree head over the
 * first {@code size} entry lines, which lets a single entry be proven with an inclusion proof. For {@code size} 0
 * the head is the chain's genesis value.
 */
public record Checkpoint(
    String chain, long size, String head, String root, Instant time, String keyId, String signature) {

  public Checkpoint {
    requireNonNull(chain, "chain");
    requireNonNull(head, "head");
    requireNonNull(root, "root");
    requireNonNull(time, "time");
    requireNonNull(keyId, "keyId");
    requireNonNull(signature, "signature");
    if (size < 0) {
      throw new IllegalArgumentException("size " + size + " (expected: >= 0)");
    }
  }

  /** Signs a new checkpoint. */
  public static Checkpoint sign(String chain, long size, String head, String root, Instant time, SigningKey key) {
    Map<String, Object> payload = payload(chain, size, head, root, Rfc3339.format(time), key.keyId());
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(key.privateKey());
      s.update(CanonicalJson.encode(payload));
      String sig = Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
      return new Checkpoint(chain, size, head, root, Rfc3339.parse(Rfc3339.format(time)), key.keyId(), sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign with key " + key.keyId() + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, Object> payload(
      String chain, long size, String head, String root, String time, String keyId) {
    Map<String, Object> m = new TreeMap<>();
    m.put("chain", chain);
    m.put("head", head);
    m.put("key_id", keyId);
    m.put("root", root);
    m.put("size", size);
    m.put("time", time);
    return m;
  }

  /** The canonical JSON line (without the trailing newline). */
  public byte[] toLine() {
    Map<String, Object> m = payload(chain, size, head, root, Rfc3339.format(time), keyId);
    m.put("sig", signature);
    return CanonicalJson.encode(m);
  }

  /** Parses a line of {@code checkpoints.jsonl}; does not check the signature (see {@link #verifySignature}). */
  public static Checkpoint parse(byte[] line) {
    Map<String, @Nullable Object> m = JsonParser.parseObject(line, 0, line.length);
    Object size = m.get("size");
    if (!(size instanceof Long n)) {
      throw new IllegalArgumentException("checkpoint size " + size + " (expected: an integer)");
    }
    String sig = str(m, "sig");
    // One spelling per signature: base64 can hide changes in a last character's unused bits.
    boolean canonicalSig;
    try {
      canonicalSig = Base64.getUrlEncoder().withoutPadding()
          .encodeToString(Base64.getUrlDecoder().decode(sig)).equals(sig);
    } catch (IllegalArgumentException e) {
      canonicalSig = false;
    }
    if (!canonicalSig) {
      throw new IllegalArgumentException("checkpoint sig \"" + sig + "\" (expected: unpadded base64url)");
    }
    String time = str(m, "time");
    Instant t = Rfc3339.parse(time);
    if (!Rfc3339.format(t).equals(time)) {
      throw new IllegalArgumentException("checkpoint time \"" + time + "\" (expected: " + Rfc3339.format(t) + ")");
    }
    return new Checkpoint(str(m, "chain"), n, hex64(m, "head"), hex64(m, "root"), t, str(m, "key_id"), sig);
  }

  /** True if {@code sig} is a valid Ed25519 signature by {@code key} over this checkpoint's other members. */
  public boolean verifySignature(PublicKey key) {
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(CanonicalJson.encode(payload(chain, size, head, root, Rfc3339.format(time), keyId)));
      return s.verify(Base64.getUrlDecoder().decode(signature));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      return false; // a signature that does not even decode is as bad as a wrong one
    }
  }

  private static String str(Map<String, @Nullable Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException("checkpoint " + key + " " + v + " (expected: a string)");
    }
    return s;
  }

  private static String hex64(Map<String, @Nullable Object> m, String key) {
    String s = str(m, key);
    if (!Hex.isHex(s, 64)) {
      throw new IllegalArgumentException("checkpoint " + key + " \"" + s + "\" (expected: 64 lower-case hex digits)");
    }
    return s;
  }

  @Override
  public String toString() {
    return new String(toLine(), StandardCharsets.UTF_8);
  }

}
