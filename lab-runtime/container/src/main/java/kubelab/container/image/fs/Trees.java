package kubelab.container.image.fs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Directory-tree helpers that never follow symlinks (a layer may hold links to anywhere). */
public final class Trees {
  private Trees() {}

  /** Deletes {@code root} and everything below it; a missing root is fine. */
  public static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        // A directory without write or search permission (mode 0500 in a layer) cannot be emptied
        // until it gets them back; we are deleting it anyway.
        try {
          Files.setAttribute(dir, "unix:mode", 0700);
        } catch (IOException ignored) {
          // best effort
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null && !(exc instanceof NoSuchFileException)) throw exc;
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Deletes quietly (cleanup paths after a failure: the first error is the one to report). */
  public static void deleteQuietly(Path root) {
    if (root == null) return;
    try {
      deleteRecursively(root);
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
  }
}
