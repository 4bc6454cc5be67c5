package dev.warden.sso.rbac;

import static java.util.Objects.requireNonNull;

/**
 * One line of {@code warden.sso.role-mappings}: members of IdP group {@code group} (an Okta group name, an Entra group
 * object id or app role value, a SAML group attribute value) get {@code grant}.
 */
public record RoleMapping(String group, RoleGrant grant) {
    public RoleMapping {
        requireNonNull(group, "group");
        requireNonNull(grant, "grant");
    }
}
