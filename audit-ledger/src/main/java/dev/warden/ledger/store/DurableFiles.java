package dev.warden.ledger.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** File operations that are on disk when they return: data fsync'd, and the directory entry too. */
public final class DurableFiles {
  private DurableFiles() {}

  /**
   * Writes {@code data} to {@code target} all or nothing: a temporary file is written and fsync'd, renamed over the
   * target, and the directory fsync'd so the rename itself survives a power cut.
   */
  public static void writeAtomically(Path target, byte[] data, boolean ownerOnly) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      syncDirectory(dir.getParent()); // the new directory's own entry must survive too
    }
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      if (ownerOnly) {
        restrictToOwner(tmp);
      }
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(dir);
  }

  /**
   * Puts a file of {@code size} zero bytes at {@code target} (replacing one that is there), all or nothing and
   * durably: a temporary file is filled with written zeros (real blocks, not a sparse hole or unwritten extents,
   * so that later overwrites change no file system metadata), fsync'd, renamed over the target, and the directory
   * fsync'd.
   */
  public static void writeZeroFilledAtomically(Path target, long size) throws IOException {
    if (size < 0) {
      throw new IllegalArgumentException("size " + size + " (expected: >= 0)");
    }
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(size, 1 << 20));
      long at = 0;
      while (at < size) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
        while (zeros.hasRemaining()) {
          at += ch.write(zeros, at);
        }
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(dir);
  }

  /**
   * Creates {@code target} with {@code data} unless it already exists, all or nothing and durably. Returns false,
   * changing nothing, if {@code target} exists, also when another thread or process created it a moment earlier:
   * the file is written under a unique temporary name and then hard-linked to {@code target}, which fails rather
   * than replaces. That is what a key file needs: two creators racing must not leave a body sealed under a key that
   * the other one's rename then replaced.
   */
  public static boolean createExclusively(Path target, byte[] data, boolean ownerOnly) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      syncDirectory(dir.getParent()); // the new directory's own entry must survive too
    }
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = dir.resolve(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        if (ownerOnly) {
          restrictToOwner(tmp);
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      try {
        Files.createLink(target, tmp);
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (UnsupportedOperationException e) {
        // No hard links on this file system: a plain move refuses an existing target too, only not atomically.
        try {
          Files.move(tmp, target);
        } catch (FileAlreadyExistsException e2) {
          return false;
        }
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
    return true;
  }

  /**
   * Deletes the directory {@code dir} and the files in it (it must hold no subdirectories) so that the deletion
   * survives a crash: the files are unlinked, {@code dir} fsync'd, removed, and its parent fsync'd. Returns the names
   * of the files deleted; an absent {@code dir} deletes nothing.
   */
  public static List<String> deleteDirectoryDurably(Path dir) throws IOException {
    List<String> deleted = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        if (Files.deleteIfExists(f)) {
          deleted.add(f.getFileName().toString());
        }
      }
    } catch (NoSuchFileException e) {
      return deleted;
    }
    syncDirectory(dir);
    Files.deleteIfExists(dir);
    syncDirectory(dir.toAbsolutePath().getParent());
    return deleted;
  }

  /** Deletes {@code file} and fsyncs its directory, so the deletion (an erasure, say) survives a crash. */
  public static boolean deleteDurably(Path file) throws IOException {
    boolean deleted = Files.deleteIfExists(file);
    if (deleted) {
      syncDirectory(file.toAbsolutePath().getParent());
    }
    return deleted;
  }

  /**
   * fsyncs a directory so that files created, renamed or deleted in it are durable. Linux allows opening a directory
   * read-only and forcing it; platforms that refuse (Windows) make their directory updates durable by other means,
   * so the refusal is ignored there only.
   */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (System.getProperty("os.name", "").startsWith("Windows")) {
        return;
      }
      throw e;
    }
  }

  static void restrictToOwner(Path file) {
    try {
      Files.setPosixFilePermissions(file, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: the directory's own access control has to do.
    }
  }
}
