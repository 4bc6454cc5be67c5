package dev.warden.sso.rbac;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the groups an IdP asserted into role grants, by the configured mappings only. Group names compare exactly
 * (case-sensitive): IdP group names are identifiers, and "Admins" and "admins" may be different groups.
 * A group with no mapping grants nothing; a user with no mapped group cannot sign in.
 */
public final class RoleMapper {

    private final List<RoleMapping> mappings;

    public RoleMapper(List<RoleMapping> mappings) {
        this.mappings = List.copyOf(requireNonNull(mappings, "mappings"));
    }

    public Set<RoleGrant> grantsFor(Collection<String> groups) {
        Set<RoleGrant> grants = new LinkedHashSet<>();
        for (RoleMapping mapping : mappings) {
            if (groups.contains(mapping.group())) {
                grants.add(mapping.grant());
            }
        }
        return Set.copyOf(grants);
    }

    public List<RoleMapping> mappings() {
        return mappings;
    }
}
