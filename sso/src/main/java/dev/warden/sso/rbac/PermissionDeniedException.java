package dev.warden.sso.rbac;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A principal asked for something the permission matrix or the scope guard does not allow. The servlet layer
 * turns it into {@code 403}; the reason is shown to the caller, so it names rules and values, never secrets.
 */
public final class PermissionDeniedException extends RuntimeException {

    private final @Nullable Permission permission;
    private final @Nullable String team;

    public PermissionDeniedException(String reason, @Nullable Permission permission, @Nullable String team) {
        super(requireNonNull(reason, "reason"));
        this.permission = permission;
        this.team = team;
    }

    public @Nullable Permission permission() {
        return permission;
    }

    public @Nullable String team() {
        return team;
    }
}
