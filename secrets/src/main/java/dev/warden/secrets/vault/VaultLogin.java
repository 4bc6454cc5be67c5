package dev.warden.secrets.vault;

import com.fasterxml.jackson.annotation.JsonValue;
import org.springframework.http.MediaType;
import org.springframework.vault.VaultException;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.authentication.LoginToken;
import org.springframework.vault.client.VaultResponses;
import org.springframework.vault.support.VaultResponse;
import org.springframework.vault.support.VaultToken;
import org.springframework.web.client.HttpStatusCodeException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * AppRole and Kubernetes login ({@code POST /v1/auth/<path>/login}), returning a {@link LoginToken} that Spring
 * Vault's {@code LifecycleAwareSessionManager} renews and replaces.
 *
 * <p>Why not Spring Vault's {@code AppRoleAuthentication}/{@code KubernetesAuthentication}: they post a plain
 * {@code Map}, and Spring's {@code RestClient} logs every request body with {@code toString()} at DEBUG, so the secret
 * id or the service account JWT would appear in a debug log. Here the body is a {@link Body} whose
 * {@code toString()} is masked while Jackson still writes the fields.
 */
final class VaultLogin implements ClientAuthentication {

    private final RestClient rest;
    private final String method;
    private final String path;
    private final Supplier<Map<String, String>> body;

    VaultLogin(RestClient rest, String method, String path, Supplier<Map<String, String>> body) {
        this.rest = rest;
        this.method = method;
        this.path = path;
        this.body = body;
    }

    @Override
    public VaultToken login() {
        VaultResponse response;
        try {
            response = rest.post().uri("auth/" + path + "/login")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new Body(body.get()))
                    .retrieve()
                    .body(VaultResponse.class);
        } catch (HttpStatusCodeException e) {
            // Vault's error list ("invalid role or secret ID") names the problem and never echoes the credential.
            throw new VaultException("Cannot login using " + method + " at auth/" + path + ": Status "
                    + e.getStatusCode().value() + " " + VaultResponses.getError(e.getResponseBodyAsString()), e);
        } catch (RestClientException e) {
            throw new VaultException("Cannot login using " + method + " at auth/" + path + ": "
                    + e.getClass().getSimpleName(), e);
        }
        Map<String, Object> auth = response == null ? null : response.getAuth();
        if (auth == null || !(auth.get("client_token") instanceof String token)) {
            throw new VaultException("Cannot login using " + method + ": the answer has no auth.client_token");
        }
        Duration lease = auth.get("lease_duration") instanceof Number n ? Duration.ofSeconds(n.longValue())
                : Duration.ZERO;
        boolean renewable = Boolean.TRUE.equals(auth.get("renewable"));
        return renewable ? LoginToken.renewable(token.toCharArray(), lease) : LoginToken.of(token.toCharArray(), lease);
    }

    /** A JSON body that Jackson writes in full and that prints as {@code ****}. */
    record Body(@JsonValue Map<String, String> fields) {
        @Override
        public String toString() {
            return "****";
        }
    }
}
