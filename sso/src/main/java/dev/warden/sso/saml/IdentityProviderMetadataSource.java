package dev.warden.sso.saml;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Loads IdP metadata from a URL or a file, on first use rather than at startup (an IdP outage must not stop the
 * gateway from serving LLM traffic), and again after {@link #REFRESH} so a rotated signing certificate is picked up.
 * A failed refresh keeps the previous metadata.
 */
public final class IdentityProviderMetadataSource implements Supplier<IdentityProviderMetadata> {

    static final Duration REFRESH = Duration.ofHours(12);

    private final @Nullable URI url;
    private final @Nullable Path file;
    private final HttpClient http;
    private final Clock clock;
    private @Nullable IdentityProviderMetadata current;
    private Instant loadedAt = Instant.MIN;

    private IdentityProviderMetadataSource(@Nullable URI url, @Nullable Path file, Clock clock) {
        this.url = url;
        this.file = file;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public static IdentityProviderMetadataSource fromUrl(URI url, Clock clock) {
        return new IdentityProviderMetadataSource(requireNonNull(url, "url"), null, clock);
    }

    public static IdentityProviderMetadataSource fromFile(Path file, Clock clock) {
        return new IdentityProviderMetadataSource(null, requireNonNull(file, "file"), clock);
    }

    @Override
    public synchronized IdentityProviderMetadata get() {
        Instant now = clock.instant();
        if (current != null && now.isBefore(loadedAt.plus(REFRESH))) {
            return current;
        }
        try {
            current = IdentityProviderMetadata.parse(read());
            loadedAt = now;
            return current;
        } catch (IOException | SamlValidationException e) {
            if (current != null) {
                return current;
            }
            throw new IllegalStateException("cannot load SAML IdP metadata from " + source() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading SAML IdP metadata from " + source(), e);
        }
    }

    private byte[] read() throws IOException, InterruptedException {
        if (file != null) {
            return Files.readAllBytes(file);
        }
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(requireNonNull(url)).timeout(Duration.ofSeconds(15)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }

    private String source() {
        return file != null ? "warden.sso.saml.idp-metadata-file=" + file : "warden.sso.saml.idp-metadata-url=" + url;
    }
}
