package dev.warden.sso.rbac;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The four Warden roles. What each may do is written down once, in {@link PermissionMatrix}; a role here is
 * only a name. A role is held globally or for one team, see {@link RoleGrant}.
 */
public enum Role {
    ADMIN("admin"),
    KEY_MANAGER("key-manager"),
    AUDITOR("auditor"),
    VIEWER("viewer");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    /** The name used in configuration ({@code warden.sso.role-mappings[*].role}) and in the API. */
    public String id() {
        return id;
    }

    /**
     * Parses a configured role name; accepts {@code key-manager}, {@code key_manager} and {@code KEY_MANAGER}.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static Role parse(String value) {
        String normalised = value.trim().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        for (Role role : values()) {
            if (role.id.equals(normalised)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role: '" + value + "' (expected one of: "
                + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
