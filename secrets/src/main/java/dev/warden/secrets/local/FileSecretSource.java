package dev.warden.secrets.local;

import dev.warden.secrets.InvalidSecretReferenceException;
import dev.warden.secrets.SecretAccessDeniedException;
import dev.warden.secrets.SecretBackendException;
import dev.warden.secrets.SecretNotFoundException;
import dev.warden.secrets.SecretReference;
import dev.warden.secrets.SecretSource;
import dev.warden.secrets.SecretSourceHealth;
import dev.warden.secrets.SecretValue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code file:///absolute/path}: a file's content as UTF-8, minus one trailing newline (files written with
 * {@code echo} carry one; a key never ends with one). Fits Kubernetes secret volumes and Vault Agent / CSI driver
 * output: the file is read again at every refresh, so the atomic symlink swap of a rotated secret is picked up.
 *
 * <p>With {@code allowedRoots}, only files under one of those directories may be read, so a reference cannot be
 * pointed at {@code /etc/shadow} or a private key elsewhere on the host.
 */
public final class FileSecretSource implements SecretSource {

    public static final String SCHEME = "file";
    /** A secret file larger than this is a configuration mistake (a log, a binary), not a key. */
    public static final int MAX_BYTES = 64 * 1024;

    private final List<Path> allowedRoots;

    /** Any absolute path may be read. */
    public FileSecretSource() {
        this(List.of());
    }

    /** Only files under {@code allowedRoots} may be read; empty means any. */
    public FileSecretSource(List<Path> allowedRoots) {
        this.allowedRoots = allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public void validate(SecretReference reference) {
        path(reference);
    }

    @Override
    public SecretValue fetch(SecretReference reference) {
        Path path = path(reference);
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new SecretNotFoundException(reference, "file '" + path + "' has " + size
                        + " bytes (expected: at most " + MAX_BYTES + " for a secret)");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new SecretNotFoundException(reference, "file '" + path + "' does not exist", e);
        } catch (AccessDeniedException e) {
            throw new SecretAccessDeniedException(reference, "file '" + path + "' is not readable by this process",
                    e);
        } catch (IOException e) {
            throw new SecretBackendException(reference, "file '" + path + "' could not be read: "
                    + e.getClass().getSimpleName(), e);
        }
        try {
            int end = bytes.length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
                if (end > 0 && bytes[end - 1] == '\r') {
                    end--;
                }
            }
            byte[] trimmed = Arrays.copyOf(bytes, end);
            try {
                return SecretValue.ofUtf8(trimmed);
            } finally {
                Arrays.fill(trimmed, (byte) 0);
            }
        } catch (IllegalArgumentException e) {
            throw new SecretBackendException(reference, "file '" + path + "' is not UTF-8 text", null);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public SecretSourceHealth probe() {
        return SecretSourceHealth.up(SCHEME, allowedRoots.isEmpty() ? "local files"
                : "local files under " + allowedRoots);
    }

    private Path path(SecretReference reference) {
        String expected = " (expected: file:///absolute/path, no #field)";
        if (reference.field() != null) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' has a #field" + expected);
        }
        String loc = reference.location();
        if (!loc.startsWith("/")) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' is not an absolute path; file://host/... is not supported" + expected);
        }
        Path path = Path.of(loc);
        for (Path part : path) {
            if (part.toString().equals("..") || part.toString().equals(".")) {
                throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                        + "' has a '.' or '..' segment" + expected);
            }
        }
        if (!allowedRoots.isEmpty() && allowedRoots.stream().noneMatch(path::startsWith)) {
            throw new InvalidSecretReferenceException(reference, "secret reference '" + reference
                    + "' is outside the allowed directories " + allowedRoots
                    + " (key warden.secrets.file.allowed-roots)");
        }
        return path;
    }
}
