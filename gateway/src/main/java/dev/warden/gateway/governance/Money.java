package dev.warden.gateway.governance;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amounts of US dollars as whole nano-dollars (1e-9 USD) in a {@code long}: exact, fast to add under a lock, and
 * wide enough (±9.2 billion dollars). A price of $2.50 per million tokens is 2,500 nano-dollars per token.
 */
public final class Money {
    public static final long NANOS_PER_USD = 1_000_000_000L;
    static final BigDecimal MAX_USD = new BigDecimal("1000000000");

    private Money() {
    }

    /** Parses a dollar amount; rejects negatives, more than 1e9 dollars and more than 9 decimals. */
    public static long parseUsd(String field, Object value) {
        BigDecimal usd;
        try {
            usd = value instanceof Number n ? new BigDecimal(n.toString()) : new BigDecimal(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": \"" + value + "\" (expected: an amount in US dollars)");
        }
        if (usd.signum() < 0 || usd.compareTo(MAX_USD) > 0) {
            throw new IllegalArgumentException(field + ": " + shown(usd) + " (expected: 0..1000000000 US dollars)");
        }
        if (usd.stripTrailingZeros().scale() > 9) {
            throw new IllegalArgumentException(field + ": " + shown(usd) + " (expected: at most 9 decimal places)");
        }
        return usd.movePointRight(9).longValueExact();
    }

    /** An amount as the caller wrote it, without zeros by the billion when the exponent is huge ({@code 1e999999}). */
    private static String shown(BigDecimal usd) {
        return Math.abs((long) usd.scale()) > 40 ? usd.toString() : usd.toPlainString();
    }

    /** Dollars with 6 decimals, e.g. {@code 0.001250}. */
    public static BigDecimal usd(long nanos) {
        return BigDecimal.valueOf(nanos).movePointLeft(9).setScale(6, RoundingMode.HALF_UP);
    }

    /** Price in dollars per million tokens → nano-dollars per token. */
    public static long perTokenFromPerMillion(BigDecimal usdPerMillion) {
        return usdPerMillion.movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /** Multiplies, saturating instead of overflowing. */
    public static long times(long tokens, long nanosPerToken) {
        long high = Math.multiplyHigh(tokens, nanosPerToken);
        long low = tokens * nanosPerToken;
        return high != 0 || low < 0 ? Long.MAX_VALUE : low;
    }
}
