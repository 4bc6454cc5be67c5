package dev.warden.secrets.vault;

import dev.warden.secrets.SecretValue;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the gateway logs in to Vault. The bootstrap credential (token, secret id) typically comes from a file or the
 * environment through {@code FileSecretSource}/{@code EnvSecretSource}; Kubernetes auth needs none.
 */
public sealed interface VaultAuthentication {

    /** A Vault token used as is (development, or a token injected by a Vault Agent sidecar). */
    record Token(SecretValue token) implements VaultAuthentication {
        public Token {
            Objects.requireNonNull(token, "token");
        }
    }

    /**
     * A token read from a file at every use, for a Vault Agent sidecar that renews and rewrites it
     * ({@code auto_auth} with a file sink); the gateway never holds a token the agent has replaced.
     */
    record TokenFile(Path file) implements VaultAuthentication {
        public TokenFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /**
     * AppRole login ({@code POST /v1/auth/<path>/login} with role_id and secret_id); the resulting token is renewed
     * and the login repeated when it expires.
     *
     * @param path     the auth mount, usually {@code approle}
     * @param roleId   not secret on its own (it names the role)
     * @param secretId the secret half
     */
    record AppRole(String path, String roleId, SecretValue secretId) implements VaultAuthentication {
        public AppRole {
            VaultOptions.requireText(path, "vault.app-role.path");
            VaultOptions.requireText(roleId, "vault.app-role.role-id");
            Objects.requireNonNull(secretId, "secretId");
        }

        public AppRole(String roleId, SecretValue secretId) {
            this("approle", roleId, secretId);
        }
    }

    /**
     * Kubernetes login with the pod's service account token, re-read from the file at every login because projected
     * tokens rotate.
     *
     * @param path       the auth mount, usually {@code kubernetes}
     * @param role       the Vault role bound to the service account
     * @param jwtFile    usually {@code /var/run/secrets/kubernetes.io/serviceaccount/token}
     */
    record Kubernetes(String path, String role, Path jwtFile) implements VaultAuthentication {
        public static final Path DEFAULT_TOKEN_FILE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

        public Kubernetes {
            VaultOptions.requireText(path, "vault.kubernetes.path");
            VaultOptions.requireText(role, "vault.kubernetes.role");
            Objects.requireNonNull(jwtFile, "jwtFile");
        }

        public Kubernetes(String role) {
            this("kubernetes", role, DEFAULT_TOKEN_FILE);
        }
    }
}
