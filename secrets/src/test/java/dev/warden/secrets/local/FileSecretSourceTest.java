package dev.warden.secrets.local;

import dev.warden.secrets.CountingSource;
import dev.warden.secrets.InvalidSecretReferenceException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceContract;
import dev.warden.secrets.SecretValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files, rotated the way Kubernetes and Vault Agent do it: write aside, then rename over. */
class FileSecretSourceTest extends SecretSourceContract {

    @TempDir
    Path dir;

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @Override
    protected Backend startBackend() {
        CountingSource source = new CountingSource(new FileSecretSource(List.of(dir)));
        return new Backend() {
            @Override
            public SecretSource source() {
                return source;
            }

            @Override
            public String put(String name, String value) {
                try {
                    Path tmp = dir.resolve("." + name + ".tmp");
                    Files.writeString(tmp, value + "\n");
                    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return "file://" + dir.resolve(name);
            }

            @Override
            public String missing() {
                return "file://" + dir.resolve("does-not-exist");
            }

            @Override
            public void deny(String name) {
                try {
                    Files.setPosixFilePermissions(dir.resolve(name), PosixFilePermissions.fromString("---------"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public int reads() {
                return source.fetches();
            }

            @Override
            public boolean can(Capability capability) {
                // Root reads files whatever their mode, so permission denial only shows for other users.
                return capability == Capability.DENY && !ROOT;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void oneTrailingNewlineIsDroppedAndNothingElse() throws IOException {
        Files.writeString(dir.resolve("crlf"), " padded value \r\n");
        try (SecretValue v = backend.source().fetch(SecretReference.parse("file://" + dir.resolve("crlf")))) {
            assertThat(v.reveal()).isEqualTo(" padded value ");
        }
    }

    @Test
    void pathsOutsideTheAllowedRootsAreRejected() {
        assertThatThrownBy(() -> resolver.reference("file:///etc/passwd"))
                .isInstanceOf(InvalidSecretReferenceException.class)
                .hasMessageContaining("outside the allowed directories");
        assertThatThrownBy(() -> resolver.reference("file://" + dir + "/../x"))
                .hasMessageContaining("'..'");
        assertThatThrownBy(() -> resolver.reference("file://relative/path"))
                .hasMessageContaining("absolute");
    }
}
