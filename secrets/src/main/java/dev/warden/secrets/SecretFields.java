package dev.warden.secrets;

import org.jspecify.annotations.Nullable;

import java.util.Map;

/**
 * The shared rule for {@code #field} in key/value secrets (Vault KV, JSON secrets in AWS Secrets Manager):
 * with a field, that field's value; without one, the only field if there is exactly one.
 * Messages name the field and the count of fields, never a value, and not the other field names either (some teams
 * store one secret per key, so a key can be sensitive).
 */
public final class SecretFields {

    private SecretFields() {
    }

    /**
     * @throws SecretNotFoundException when the field is absent, is not a scalar, or no field was named and the
     *                                 secret does not have exactly one
     */
    public static SecretValue select(SecretReference reference, Map<String, ? extends @Nullable Object> fields) {
        String field = reference.field();
        if (field == null) {
            if (fields.size() == 1) {
                return scalar(reference, fields.keySet().iterator().next(), fields.values().iterator().next());
            }
            throw new SecretNotFoundException(reference, "secret '" + reference + "' has " + fields.size()
                    + " fields (expected: name one with #<field>)");
        }
        if (!fields.containsKey(field)) {
            throw new SecretNotFoundException(reference, "secret '" + reference + "' has no field '" + field
                    + "' (it has " + fields.size() + " field" + (fields.size() == 1 ? "" : "s") + ")");
        }
        return scalar(reference, field, fields.get(field));
    }

    private static SecretValue scalar(SecretReference reference, String field, @Nullable Object value) {
        if (value instanceof String s) {
            return SecretValue.of(s);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return SecretValue.of(String.valueOf(value));
        }
        String kind = value == null ? "null" : value instanceof Map ? "an object" : "a " + value.getClass().getSimpleName();
        throw new SecretNotFoundException(reference, "field '" + field + "' of secret '" + reference + "' is " + kind
                + " (expected: text, a number or a boolean)");
    }
}
