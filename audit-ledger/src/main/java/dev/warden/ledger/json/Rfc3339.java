package dev.warden.ledger.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Timestamps as the ledger writes them: RFC 3339, UTC, always six fraction digits, so each instant has one spelling. */
public final class Rfc3339 {
  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Rfc3339() {}

  public static String format(Instant t) {
    return FORMAT.format(t.truncatedTo(ChronoUnit.MICROS));
  }

  /** Parses any RFC 3339 UTC timestamp; fails with the offending text. */
  public static Instant parse(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time \"" + s + "\" (expected: RFC 3339 UTC such as 2026-01-31T12:00:00.000000Z)", e);
    }
  }
}
