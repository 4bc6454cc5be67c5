package dev.warden.gateway.admin;

import org.jspecify.annotations.Nullable;

/** A refused admin request: 400 by default (or 404), with the field at fault. */
public final class AdminException extends RuntimeException {
    private final int status;
    private final @Nullable String field;

    public AdminException(@Nullable String field, String message) {
        this(400, field, message);
    }

    public AdminException(int status, @Nullable String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    public int status() {
        return status;
    }

    public @Nullable String field() {
        return field;
    }
}
