package dev.warden.ledger.json;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps as the ledger writes them: RFC 3339, UTC, always six fraction digits
 * ({@code 2026-01-31T12:00:00.000000Z}), so each instant has one spelling.
 *
 * <p>Hand-written for the fixed form because {@code DateTimeFormatter} dominated verification time; any other
 * RFC 3339 UTC form still parses through {@link Instant#parse}.
 */
public final class Rfc3339 {
  private static final int LENGTH = 27;

  private Rfc3339() {}

  public static String format(Instant t) {
    Instant m = t.truncatedTo(ChronoUnit.MICROS);
    long secs = m.getEpochSecond();
    long day = Math.floorDiv(secs, 86_400);
    int sod = (int) Math.floorMod(secs, 86_400);
    LocalDate date = LocalDate.ofEpochDay(day);
    if (date.getYear() < 0 || date.getYear() > 9999) {
      throw new IllegalArgumentException("time " + t + " (expected: years 0000..9999)");
    }
    char[] c = new char[LENGTH];
    digits(c, 0, date.getYear(), 4);
    c[4] = '-';
    digits(c, 5, date.getMonthValue(), 2);
    c[7] = '-';
    digits(c, 8, date.getDayOfMonth(), 2);
    c[10] = 'T';
    digits(c, 11, sod / 3600, 2);
    c[13] = ':';
    digits(c, 14, sod / 60 % 60, 2);
    c[16] = ':';
    digits(c, 17, sod % 60, 2);
    c[19] = '.';
    digits(c, 20, m.getNano() / 1000, 6);
    c[26] = 'Z';
    return new String(c);
  }

  private static void digits(char[] c, int at, int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      c[at + i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Parses any RFC 3339 UTC timestamp; fails with the offending text. */
  public static Instant parse(String s) {
    if (s.length() == LENGTH && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
        && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(19) == '.' && s.charAt(26) == 'Z') {
      int year = num(s, 0, 4);
      int month = num(s, 5, 2);
      int day = num(s, 8, 2);
      int hour = num(s, 11, 2);
      int minute = num(s, 14, 2);
      int second = num(s, 17, 2);
      int micros = num(s, 20, 6);
      if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60
          && second >= 0 && second < 60 && micros >= 0) {
        try {
          long epochDay = LocalDate.of(year, month, day).toEpochDay();
          return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, micros * 1000L);
        } catch (DateTimeException e) {
          throw new IllegalArgumentException("time \"" + s + "\" is not a calendar date", e);
        }
      }
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "time \"" + s + "\" (expected: RFC 3339 UTC such as 2026-01-31T12:00:00.000000Z)", e);
    }
  }

  /** The decimal value of {@code s[at, at+width)}, or -1 if any of it is not a digit. */
  private static int num(String s, int at, int width) {
    int v = 0;
    for (int i = at; i < at + width; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      v = v * 10 + (ch - '0');
    }
    return v;
  }
}
