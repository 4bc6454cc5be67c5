package dev.warden.ledger.verify;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.crypto.Sha256;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers checkpoint signatures already found valid in this process. Whether a line verifies under a key is a
 * pure function of the two, and with a checkpoint a second a month-old ledger holds millions of them; the gateway
 * and the compliance reports verify the same ledger again and again. Only successes are kept, keyed by the SHA-256
 * of the key's encoding and the exact line.
 */
final class SignatureCache {
  private static final int MAX = 1 << 16;
  private static final Map<ByteBuffer, Boolean> VERIFIED = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
      return size() > MAX;
    }
  };

  private SignatureCache() {}

  static boolean verified(Checkpoint cp, byte[] line, PublicKey key) {
    MessageDigest md = Sha256.newDigest();
    md.update(key.getEncoded());
    md.update((byte) 0);
    md.update(line);
    ByteBuffer id = ByteBuffer.wrap(md.digest());
    synchronized (VERIFIED) {
      if (VERIFIED.containsKey(id)) {
        return true;
      }
    }
    boolean ok = cp.verifySignature(key);
    if (ok) {
      synchronized (VERIFIED) {
        VERIFIED.put(id, Boolean.TRUE);
      }
    }
    return ok;
  }
}
