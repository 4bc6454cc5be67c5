package dev.warden.gateway.governance;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** Budget windows that reset at calendar boundaries in the configured time zone (weeks start on Monday). */
public enum BudgetPeriod {
    DAY, WEEK, MONTH, TOTAL;

    static final Instant EPOCH = Instant.EPOCH;

    public static BudgetPeriod parse(String field, String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + ": \"" + value + "\" (expected: day, week, month or total)");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The start of the window that contains {@code now}. */
    public Instant windowStart(Instant now, ZoneId zone) {
        LocalDate day = now.atZone(zone).toLocalDate();
        return switch (this) {
            case DAY -> day.atStartOfDay(zone).toInstant();
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(zone).toInstant();
            case MONTH -> day.withDayOfMonth(1).atStartOfDay(zone).toInstant();
            case TOTAL -> EPOCH;
        };
    }

    /** When the window containing {@code now} ends; null for TOTAL. */
    public Instant resetsAt(Instant now, ZoneId zone) {
        LocalDate day = now.atZone(zone).toLocalDate();
        return switch (this) {
            case DAY -> day.plusDays(1).atStartOfDay(zone).toInstant();
            case WEEK -> day.with(TemporalAdjusters.next(DayOfWeek.MONDAY)).atStartOfDay(zone).toInstant();
            case MONTH -> day.withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
            case TOTAL -> Instant.MAX;
        };
    }
}
