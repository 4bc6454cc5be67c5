package dev.warden.gateway.providers.bedrock;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * AWS Signature Version 4 for one request, written from the AWS reference ("Create a signed AWS API request").
 * Signs {@code host}, {@code x-amz-date}, the headers given and, with temporary credentials,
 * {@code x-amz-security-token}. Paths are URI-encoded a second time in the canonical request, as every service
 * but S3 expects.
 */
final class SigV4 {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final HexFormat HEX = HexFormat.of();

    /** Access key id, secret and optional session token; {@code toString} never shows the secret. */
    record Credentials(String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {
        /** Parses {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]}. */
        static Credentials parse(String value) {
            String[] parts = value.strip().split(":", 3);
            if (parts.length < 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new IllegalArgumentException("bedrock credential: not in the form "
                        + "ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN] (expected: that form, or option auth=api-key)");
            }
            return new Credentials(parts[0], parts[1], parts.length == 3 && !parts[2].isEmpty() ? parts[2] : null);
        }

        @Override
        public String toString() {
            return "Credentials[" + accessKeyId + ", ****]";
        }
    }

    private SigV4() {
    }

    /** The headers to add: x-amz-date, optional x-amz-security-token, and authorization. */
    static Map<String, String> sign(String method, URI uri, Map<String, String> extraSignedHeaders, byte[] payload,
                                    String region, String service, Credentials credentials, ZonedDateTime now) {
        String amzDate = AMZ_DATE.format(now.withZoneSameInstant(ZoneOffset.UTC));
        String date = amzDate.substring(0, 8);
        TreeMap<String, String> signed = new TreeMap<>();
        extraSignedHeaders.forEach((name, value) -> signed.put(name.toLowerCase(java.util.Locale.ROOT), value));
        signed.put("host", uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
        signed.put("x-amz-date", amzDate);
        if (credentials.sessionToken() != null) {
            signed.put("x-amz-security-token", credentials.sessionToken());
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((name, value) -> canonicalHeaders.append(name).append(':').append(value.strip()).append('\n'));
        String signedHeaders = String.join(";", signed.keySet());
        String canonicalRequest = method + "\n" + canonicalPath(uri.getRawPath()) + "\n"
                + canonicalQuery(uri.getRawQuery()) + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n"
                + HEX.formatHex(sha256(payload));
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, stringToSign));
        Map<String, String> headers = new TreeMap<>();
        headers.put("x-amz-date", amzDate);
        if (credentials.sessionToken() != null) {
            headers.put("x-amz-security-token", credentials.sessionToken());
        }
        headers.put("authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return headers;
    }

    /** Each segment of the (already encoded) path encoded again. */
    static String canonicalPath(@Nullable String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        StringBuilder out = new StringBuilder();
        for (String segment : rawPath.split("/", -1)) {
            if (!out.isEmpty() || rawPath.startsWith("/")) {
                out.append('/');
            }
            out.append(encode(segment));
        }
        String path = out.toString();
        return path.startsWith("//") ? path.substring(1) : path;
    }

    private static String canonicalQuery(@Nullable String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            sorted.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(k).append('=').append(v));
        return out.toString();
    }

    /** RFC 3986 unreserved characters stay; everything else is %XX (upper case). */
    static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
