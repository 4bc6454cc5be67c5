package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.crypto.Hex;
import dev.warden.ledger.crypto.Sha256;
import dev.warden.ledger.json.JsonParser;
import dev.warden.ledger.json.Rfc3339;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One entry read back from a ledger: its typed members plus the exact line and its hash. Reports and tools read
 * these through {@link LedgerReader}; the verifier checks the same members.
 */
public record LedgerEntry(
    long seq,
    Instant time,
    String chain,
    String prev,
    String kind,
    @Nullable Actor actor,
    @Nullable String source,
    @Nullable String model,
    @Nullable String provider,
    @Nullable String decision,
    @Nullable Integer status,
    @Nullable Tokens tokens,
    @Nullable BigDecimal costUsd,
    @Nullable Long latencyMs,
    @Nullable String policyVersion,
    @Nullable String requestDigest,
    @Nullable String responseDigest,
    @Nullable String requestId,
    @Nullable String subject,
    @Nullable SealedBody requestBody,
    @Nullable SealedBody responseBody,
    Map<String, String> attrs,
    String hash,
    byte[] line) {

  public LedgerEntry {
    requireNonNull(line, "line");
  }

  /** The kind as an enum, empty for a kind written by a newer version. */
  public Optional<EntryKind> entryKind() {
    return EntryKind.fromWire(kind);
  }

  public String lineAsString() {
    return new String(line, StandardCharsets.UTF_8);
  }

  /** Parses one line (no newline) and checks every known member's type; fails with the member and value. */
  public static LedgerEntry parse(byte[] buf, int off, int len) {
    Map<String, @Nullable Object> m = JsonParser.parseObject(buf, off, len);
    byte[] line = Arrays.copyOfRange(buf, off, off + len);
    return fromJson(m, line, Hex.encode(Sha256.hash(line)));
  }

  /**
   * Builds an entry from an already parsed line, checking every known member's type. {@code line} must be the
   * bytes the map was parsed from and {@code hash} their hex SHA-256 (the verifier computes both anyway).
   */
  public static LedgerEntry fromJson(Map<String, @Nullable Object> m, byte[] line, String hash) {
    Long seq = Json.optLong(m, EntryDraft.SEQ);
    if (seq == null || seq < 0) {
      throw new IllegalArgumentException("seq " + m.get(EntryDraft.SEQ) + " (expected: an integer >= 0)");
    }
    String prev = Json.string(m, EntryDraft.PREV);
    if (!Hex.isHex(prev, 64)) {
      throw new IllegalArgumentException("prev \"" + prev + "\" (expected: 64 lower-case hex digits)");
    }
    String kind = Json.string(m, "kind");
    if (kind.isEmpty()) {
      throw new IllegalArgumentException("kind is empty (expected: request, response, ...)");
    }
    Map<?, ?> actor = Json.optObject(m, "actor");
    Map<?, ?> tokens = Json.optObject(m, "tokens");
    Map<?, ?> reqBody = Json.optObject(m, "request_body");
    Map<?, ?> respBody = Json.optObject(m, "response_body");
    Map<?, ?> attrsJson = Json.optObject(m, "attrs");
    Map<String, String> attrs = new TreeMap<>();
    if (attrsJson != null) {
      attrsJson.forEach((k, v) -> {
        if (!(v instanceof String s)) {
          throw new IllegalArgumentException("attrs." + k + " " + v + " (expected: a string)");
        }
        attrs.put((String) k, s);
      });
    }
    Long status = Json.optLong(m, "status");
    String cost = Json.optString(m, "cost_usd");
    BigDecimal costUsd;
    try {
      costUsd = cost == null ? null : new BigDecimal(cost);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("cost_usd \"" + cost + "\" (expected: a decimal string)", e);
    }
    return new LedgerEntry(
        seq,
        Rfc3339.parse(Json.string(m, EntryDraft.TIME)),
        Json.string(m, EntryDraft.CHAIN),
        prev,
        kind,
        actor == null ? null : Actor.fromJson(actor),
        Json.optString(m, "source"),
        Json.optString(m, "model"),
        Json.optString(m, "provider"),
        Json.optString(m, "decision"),
        status == null ? null : Math.toIntExact(status),
        tokens == null ? null : Tokens.fromJson(tokens),
        costUsd,
        Json.optLong(m, "latency_ms"),
        Json.optString(m, "policy_version"),
        Json.optString(m, "request_digest"),
        Json.optString(m, "response_digest"),
        Json.optString(m, "request_id"),
        Json.optString(m, "subject"),
        reqBody == null ? null : SealedBody.fromJson(reqBody),
        respBody == null ? null : SealedBody.fromJson(respBody),
        Map.copyOf(attrs),
        hash,
        line);
  }
}
