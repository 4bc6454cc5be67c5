package dev.warden.secrets;

import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed secret reference: {@code scheme://location[#field]}, for example {@code vault://secret/warden/openai#api_key}.
 *
 * <p>The grammar is deliberately looser than {@link java.net.URI}: AWS secret names may contain {@code @} and
 * {@code +}, and ARNs contain colons, which a URI parser would read as user info or a port. The location and the
 * field are percent-decoded, so {@code %23} writes a literal {@code #}. A query ({@code ?}) is rejected because no
 * backend takes one. What the location means is each {@link SecretSource}'s business ({@link SecretSource#validate}).
 *
 * <p>References are locators, not secrets: they appear in error messages, logs and metric tags.
 *
 * @param scheme   lower-case scheme, e.g. {@code vault}
 * @param location percent-decoded text between {@code ://} and {@code #}; never empty
 * @param field    percent-decoded text after {@code #}, or null when there is none
 */
public record SecretReference(String scheme, String location, @Nullable String field) {

    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
    private static final String EXPECTED =
            "scheme://location[#field], e.g. vault://secret/app#key, aws-sm://name#field, "
                    + "azure-kv://vault/secret, gcp-sm://projects/p/secrets/s/versions/latest, env://NAME, file:///path";

    public SecretReference {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(location, "location");
        if (!SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("scheme: '" + scheme + "' (expected: lower-case letters, digits, + . -)");
        }
        if (location.isEmpty()) {
            throw new IllegalArgumentException("location: empty (expected: " + scheme + "://<location>)");
        }
        if (field != null && field.isEmpty()) {
            throw new IllegalArgumentException("field: empty (expected: no '#' or a non-empty field after it)");
        }
    }

    /**
     * Parses {@code text}. When the text does not even look like {@code scheme://...}, the message does not quote it:
     * a secret pasted where a reference belongs must not end up in a startup error or a log.
     *
     * @throws InvalidSecretReferenceException with what was expected
     */
    public static SecretReference parse(String text) {
        Objects.requireNonNull(text, "text");
        int sep = text.indexOf("://");
        if (sep <= 0 || !SCHEME.matcher(text.substring(0, sep)).matches()) {
            throw new InvalidSecretReferenceException(null, "secret reference has no scheme (expected: " + EXPECTED
                    + "; the text is not shown in case it is a secret)");
        }
        String scheme = text.substring(0, sep);
        String rest = text.substring(sep + 3);
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new InvalidSecretReferenceException(null, "secret reference with scheme '" + scheme
                        + "' contains whitespace or a control character at index " + (sep + 3 + i)
                        + " (expected: percent-encode it)");
            }
        }
        if (rest.indexOf('?') >= 0) {
            throw invalid(scheme, text, "has a query '?' (expected: no query; percent-encode a literal '?' as %3F)");
        }
        int hash = rest.indexOf('#');
        String rawLocation = hash < 0 ? rest : rest.substring(0, hash);
        String rawField = hash < 0 ? null : rest.substring(hash + 1);
        if (rawField != null && rawField.indexOf('#') >= 0) {
            throw invalid(scheme, text, "has more than one '#' (expected: at most one, before the field)");
        }
        if (rawLocation.isEmpty()) {
            throw invalid(scheme, text, "has an empty location (expected: " + scheme + "://<location>)");
        }
        if (rawField != null && rawField.isEmpty()) {
            throw invalid(scheme, text, "has an empty field after '#' (expected: a field name, or no '#')");
        }
        return new SecretReference(scheme, decode(scheme, text, rawLocation),
                rawField == null ? null : decode(scheme, text, rawField));
    }

    /** The canonical text form, which is what messages, logs and metrics show. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme).append("://").append(encode(location, true));
        if (field != null) {
            sb.append('#').append(encode(field, false));
        }
        return sb.toString();
    }

    private static InvalidSecretReferenceException invalid(String scheme, String text, String problem) {
        return new InvalidSecretReferenceException(null, "secret reference '" + text + "' " + problem);
    }

    private static String decode(String scheme, String text, String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw invalid(scheme, text, "has a bad percent escape at '" + raw.substring(i, Math.min(i + 3, raw.length()))
                            + "' (expected: %XX with two hex digits)");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String s, boolean location) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '#' || c == '?' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                for (byte b : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4 & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
