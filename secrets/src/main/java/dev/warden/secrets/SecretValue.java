package dev.warden.secrets;

import com.fasterxml.jackson.annotation.JsonIgnoreType;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A secret held in a char array that is wiped on {@link #close()}.
 *
 * <p>The value never prints itself: {@link #toString()} is {@code ****}, there are no bean getters, and the type is
 * {@link JsonIgnoreType} so a DTO that carries one by mistake serialises without it. Reading the value is an explicit
 * call ({@link #reveal()}, {@link #revealChars()}, {@link #revealUtf8()}) made at the moment it is needed.
 *
 * <p>Ownership: whoever receives a {@code SecretValue} from {@link SecretResolver#resolve} owns that instance and
 * should close it (try-with-resources). The resolver hands out a fresh copy per call, so closing one copy never
 * affects another request or the cache.
 *
 * <p>Thread-safe: concurrent reveals are fine; a reveal racing a close either sees the value or fails with
 * {@link IllegalStateException}, never a half-wiped value. Reads share a read lock and only {@link #close()} takes the
 * write lock: a cached provider key is copied by every request, and a monitor here queued concurrent requests behind
 * each other (on virtual threads each hand-over of a contended monitor also goes through the scheduler; ADR 0008 of
 * the gateway).
 */
@JsonIgnoreType
public final class SecretValue implements AutoCloseable {

    private static final String MASK = "****";

    private final char[] chars;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by lock

    private SecretValue(char[] chars) {
        this.chars = chars;
    }

    /** Copies {@code value}; the caller may wipe its array afterwards. */
    public static SecretValue of(char[] value) {
        Objects.requireNonNull(value, "value");
        return new SecretValue(value.clone());
    }

    /**
     * Wraps a value that only exists as a {@link String} (most SDKs return one). The string itself cannot be wiped;
     * this at least keeps the long-lived cached copy in a wipeable array.
     */
    public static SecretValue of(String value) {
        Objects.requireNonNull(value, "value");
        return new SecretValue(value.toCharArray());
    }

    /**
     * Decodes UTF-8 bytes (Google Secret Manager payloads, files) without ever building a {@link String}.
     *
     * @throws IllegalArgumentException if the bytes are not valid UTF-8; the message never contains the bytes
     */
    public static SecretValue ofUtf8(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        try {
            CharBuffer decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8));
            char[] out = new char[decoded.remaining()];
            decoded.get(out);
            // The decoder's buffer is ours to wipe; the caller's byte array is theirs.
            Arrays.fill(decoded.array(), '\0');
            return new SecretValue(out);
        } catch (CharacterCodingException e) {
            // No cause: it would only add the decoder's position, and nothing about the value belongs here.
            throw new IllegalArgumentException("secret payload is not valid UTF-8 (expected: UTF-8 text)");
        }
    }

    /**
     * The value as a String, for APIs that take nothing else (HTTP header values). Strings cannot be wiped, so keep
     * the result in a local variable for the duration of the call and prefer {@link #revealChars()} where possible.
     *
     * @throws IllegalStateException if this value was closed
     */
    public String reveal() {
        return whileOpen(() -> new String(chars));
    }

    /**
     * A fresh copy of the value that the caller should wipe ({@code Arrays.fill(c, '\0')}) when done.
     *
     * @throws IllegalStateException if this value was closed
     */
    public char[] revealChars() {
        return whileOpen(chars::clone);
    }

    /**
     * The value encoded as UTF-8 (signing keys, store passwords as bytes); the caller should wipe the array.
     *
     * @throws IllegalStateException if this value was closed
     */
    public byte[] revealUtf8() {
        return whileOpen(() -> {
            ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
            byte[] out = new byte[encoded.remaining()];
            encoded.get(out);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
            return out;
        });
    }

    /** A new, independently closeable copy. */
    public SecretValue copy() {
        return whileOpen(() -> new SecretValue(chars.clone()));
    }

    /**
     * Compares with another value in time independent of where they differ, so comparisons (rotation checks, key
     * matching) do not leak a prefix through timing.
     */
    public boolean sameValueAs(SecretValue other) {
        Objects.requireNonNull(other, "other");
        char[] mine = revealChars();
        char[] theirs = other.revealChars();
        try {
            int diff = mine.length ^ theirs.length;
            int n = Math.max(mine.length, theirs.length);
            for (int i = 0; i < n; i++) {
                char a = i < mine.length ? mine[i] : 0;
                char b = i < theirs.length ? theirs[i] : 0;
                diff |= a ^ b;
            }
            return diff == 0;
        } finally {
            Arrays.fill(mine, '\0');
            Arrays.fill(theirs, '\0');
        }
    }

    /** Number of chars; not secret in itself and useful for validation ("key too short"). */
    public int length() {
        return whileOpen(() -> chars.length);
    }

    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Wipes the value. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            Arrays.fill(chars, '\0');
            closed = true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Always {@code ****}, so a value that slips into a log line or a message shows nothing. */
    @Override
    public String toString() {
        return MASK;
    }

    // Identity equality on purpose: value equality would invite secrets into hash-based collections and logs of
    // "expected X but was Y" assertion messages. Use sameValueAs for a comparison.
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    /** Reads the value under the read lock, so that a concurrent {@link #close()} cannot wipe it half-way. */
    private <T> T whileOpen(Supplier<T> read) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("secret value was closed (expected: reveal before close)");
            }
            return read.get();
        } finally {
            lock.readLock().unlock();
        }
    }
}
