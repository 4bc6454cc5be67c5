package dev.warden.ledger;

import static java.util.Objects.requireNonNull;

import dev.warden.ledger.json.CanonicalJson;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a caller wants recorded; the ledger adds {@code seq}, {@code time}, {@code chain} and {@code prev} when it
 * appends. Absent members are left out of the line rather than written as {@code null}.
 *
 * <p>Bodies never go in plain: pass {@link Ledger#digest} of a body as {@code requestDigest}/{@code responseDigest},
 * and, where the body must be kept, {@link Ledger#seal} it under its data subject.
 */
public record EntryDraft(
    EntryKind kind,
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
    Map<String, String> attrs) {

  /** Member names the ledger writes itself; a draft cannot set them. */
  static final String CHAIN = "chain";
  static final String PREV = "prev";
  static final String SEQ = "seq";
  static final String TIME = "time";

  public EntryDraft {
    requireNonNull(kind, "kind");
    attrs = Map.copyOf(requireNonNull(attrs, "attrs"));
    if (latencyMs != null && latencyMs < 0) {
      throw new IllegalArgumentException("latencyMs " + latencyMs + " (expected: >= 0)");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The members of the line other than the four the ledger adds, as JSON values in canonical key order. Fails on
   * strings that have no UTF-8 form, so a bad draft fails in the caller's thread, never in the writer.
   */
  TreeMap<String, Object> members() {
    TreeMap<String, Object> m = new TreeMap<>();
    m.put("kind", kind.wireName());
    if (actor != null) {
      m.put("actor", actor.toJson());
    }
    put(m, "source", source);
    put(m, "model", model);
    put(m, "provider", provider);
    put(m, "decision", decision);
    if (status != null) {
      m.put("status", status.longValue());
    }
    if (tokens != null) {
      m.put("tokens", tokens.toJson());
    }
    if (costUsd != null) {
      // A string: JSON numbers are doubles, and 0.1 + 0.2 must stay 0.3 in an audit record.
      m.put("cost_usd", costUsd.toPlainString());
    }
    if (latencyMs != null) {
      m.put("latency_ms", latencyMs);
    }
    put(m, "policy_version", policyVersion);
    put(m, "request_digest", requestDigest);
    put(m, "response_digest", responseDigest);
    put(m, "request_id", requestId);
    put(m, "subject", subject);
    if (requestBody != null) {
      m.put("request_body", requestBody.toJson());
    }
    if (responseBody != null) {
      m.put("response_body", responseBody.toJson());
    }
    if (!attrs.isEmpty()) {
      m.put("attrs", new TreeMap<>(attrs));
    }
    return m;
  }

  private static void put(Map<String, Object> m, String key, @Nullable String value) {
    if (value != null) {
      m.put(key, CanonicalJson.requireValidUtf16(value, key));
    }
  }

  /** Fluent construction; only {@link #kind} is required. */
  public static final class Builder {
    private @Nullable EntryKind kind;
    private @Nullable Actor actor;
    private @Nullable String source;
    private @Nullable String model;
    private @Nullable String provider;
    private @Nullable String decision;
    private @Nullable Integer status;
    private @Nullable Tokens tokens;
    private @Nullable BigDecimal costUsd;
    private @Nullable Long latencyMs;
    private @Nullable String policyVersion;
    private @Nullable String requestDigest;
    private @Nullable String responseDigest;
    private @Nullable String requestId;
    private @Nullable String subject;
    private @Nullable SealedBody requestBody;
    private @Nullable SealedBody responseBody;
    private final TreeMap<String, String> attrs = new TreeMap<>();

    private Builder() {}

    public Builder kind(EntryKind kind) {
      this.kind = requireNonNull(kind, "kind");
      return this;
    }

    public Builder actor(@Nullable Actor actor) {
      this.actor = actor;
      return this;
    }

    /** The caller's network address. */
    public Builder source(@Nullable String source) {
      this.source = source;
      return this;
    }

    public Builder model(@Nullable String model) {
      this.model = model;
      return this;
    }

    public Builder provider(@Nullable String provider) {
      this.provider = provider;
      return this;
    }

    /** The control decision in words, e.g. {@code allow}, {@code redact}, {@code block}, {@code rate_limited}. */
    public Builder decision(@Nullable String decision) {
      this.decision = decision;
      return this;
    }

    /** The HTTP status answered to the caller. */
    public Builder status(@Nullable Integer status) {
      this.status = status;
      return this;
    }

    public Builder tokens(@Nullable Tokens tokens) {
      this.tokens = tokens;
      return this;
    }

    public Builder costUsd(@Nullable BigDecimal costUsd) {
      this.costUsd = costUsd;
      return this;
    }

    public Builder latencyMs(@Nullable Long latencyMs) {
      this.latencyMs = latencyMs;
      return this;
    }

    public Builder policyVersion(@Nullable String policyVersion) {
      this.policyVersion = policyVersion;
      return this;
    }

    /** {@link Ledger#digest} of the request body; never a bare hash of it. */
    public Builder requestDigest(@Nullable String requestDigest) {
      this.requestDigest = requestDigest;
      return this;
    }

    public Builder responseDigest(@Nullable String responseDigest) {
      this.responseDigest = responseDigest;
      return this;
    }

    public Builder requestId(@Nullable String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** A pseudonymous subject reference ({@code subj-…}); set by {@link Ledger#erase}, rarely by hand. */
    public Builder subject(@Nullable String subjectRef) {
      this.subject = subjectRef;
      return this;
    }

    public Builder requestBody(@Nullable SealedBody body) {
      this.requestBody = body;
      return this;
    }

    public Builder responseBody(@Nullable SealedBody body) {
      this.responseBody = body;
      return this;
    }

    public Builder attr(String key, String value) {
      attrs.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    public Builder attrs(Map<String, String> attrs) {
      attrs.forEach(this::attr);
      return this;
    }

    public EntryDraft build() {
      if (kind == null) {
        throw new IllegalStateException("kind is required (expected: one of request, response, rejection, ...)");
      }
      return new EntryDraft(kind, actor, source, model, provider, decision, status, tokens, costUsd, latencyMs,
          policyVersion, requestDigest, responseDigest, requestId, subject, requestBody, responseBody, attrs);
    }
  }
}
