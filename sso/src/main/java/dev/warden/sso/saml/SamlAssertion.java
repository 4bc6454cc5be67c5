package dev.warden.sso.saml;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The facts of a validated assertion: who ({@code nameId} at {@code issuer}) and the attributes the IdP sent.
 * Only {@link SamlResponseValidator} makes these, after every check passed.
 */
public record SamlAssertion(String id, String issuer, String nameId, Map<String, List<String>> attributes) {

    public SamlAssertion {
        requireNonNull(id, "id");
        requireNonNull(issuer, "issuer");
        requireNonNull(nameId, "nameId");
        attributes = Map.copyOf(attributes);
    }

    public List<String> attribute(String name) {
        return attributes.getOrDefault(name, List.of());
    }

    public @Nullable String firstAttribute(@Nullable String name) {
        if (name == null) {
            return null;
        }
        List<String> values = attribute(name);
        return values.isEmpty() ? null : values.get(0);
    }
}
