package dev.warden.ledger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/** Realistic drafts for tests: every kind, most members, some non-ASCII text. */
public final class TestEntries {
  private TestEntries() {}

  public static EntryDraft draft(Ledger ledger, int i) {
    EntryKind kind = EntryKind.values()[i % EntryKind.values().length];
    byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"question " + i + "\"}]}")
        .getBytes(StandardCharsets.UTF_8);
    return EntryDraft.builder()
        .kind(kind)
        .actor(new Actor("vk_" + (i % 7), "user" + (i % 3) + "@example.com", "team-" + (i % 2), "acme"))
        .source("10.0.0." + (i % 250))
        .model("gpt-4.1")
        .provider("openai")
        .decision(i % 5 == 0 ? "block" : "allow")
        .status(i % 5 == 0 ? 403 : 200)
        .tokens(new Tokens(100 + i, 20 + i, i % 10, 0))
        .costUsd(new BigDecimal("0.000" + (100 + i)))
        .latencyMs(12L + i)
        .policyVersion("p-7")
        .requestDigest(ledger.digest(body))
        .requestId("req-" + i)
        .attr("route", "chat")
        .attr("note", "café ✓")
        .build();
  }

  public static EntryDraft small(int i) {
    return EntryDraft.builder().kind(EntryKind.REQUEST).requestId("r" + i).model("m").build();
  }
}
