package kubelab.shell.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import kubelab.container.LinuxRuntime;
import kubelab.container.image.ImageStore;

/**
 * Shared plumbing of the runtime commands: opening the runtime on {@code --root} with the image
 * store, Docker-style durations ("5 seconds ago"), and a byte stream onto picocli's writers.
 */
final class Runtimes {
  private Runtimes() {}

  /** The runtime on {@code root}, with the OCI image store; checks root privileges first. */
  static LinuxRuntime open(Path root) {
    LinuxRuntime.requireRoot();
    return new LinuxRuntime(root, new kubelab.container.CachedImageStore(new LazyImages(root), root));
  }

  /**
   * The image store. Loaded by name: the image side (kubelab.container.image.OciImageStore) is
   * built in parallel with this command set, and the shell must build with or without it.
   */
  static ImageStore images(Path root) {
    try {
      Class<?> c = Class.forName("kubelab.container.image.OciImageStore");
      return (ImageStore) c.getConstructor(Path.class).newInstance(root);
    } catch (ClassNotFoundException e) {
      return null;
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens the real image store only when the cache cannot answer (it loads a JSON library). */
  static final class LazyImages implements ImageStore {
    private final Path root;
    private ImageStore store;

    LazyImages(Path root) {
      this.root = root;
    }

    private synchronized ImageStore store() {
      if (store == null) {
        store = images(root);
        if (store == null) throw new kubelab.container.ContainerException("this build has no image store: rebuild KubeLab (mvn package)");
      }
      return store;
    }

    @Override public kubelab.container.image.Image resolve(String reference) { return store().resolve(reference); }
    @Override public java.util.List<kubelab.container.image.Image> list() { return store().list(); }
    @Override public java.util.List<Path> layerDirs(kubelab.container.image.Image image) { return store().layerDirs(image); }
    @Override public kubelab.container.image.Image commit(kubelab.container.image.Image parent, Path upperDir,
        kubelab.container.image.ImageConfig config, String tag, String createdBy) { return store().commit(parent, upperDir, config, tag, createdBy); }
    @Override public void tag(kubelab.container.image.Image image, String reference) { store().tag(image, reference); }
    @Override public void collectGarbage(java.util.function.Supplier<? extends java.util.Collection<String>> inUse) {
      store().collectGarbage(inUse);
    }
  }

  /** Docker's go-units HumanDuration: "Less than a second", "5 seconds", "About a minute", ... */
  static String human(Duration d) {
    long s = d.getSeconds();
    if (s < 1) return "Less than a second";
    if (s == 1) return "1 second";
    if (s < 60) return s + " seconds";
    long m = s / 60;
    if (m == 1) return "About a minute";
    if (m < 60) return m + " minutes";
    long h = Math.round(s / 3600.0);
    if (h == 1) return "About an hour";
    if (h < 48) return h + " hours";
    if (h < 24 * 7 * 2) return h / 24 + " days";
    if (h < 24 * 30 * 2) return h / 24 / 7 + " weeks";
    if (h < 24 * 365 * 2) return h / 24 / 30 + " months";
    return h / 24 / 365 + " years";
  }

  static String ago(String iso) {
    if (iso == null || iso.isEmpty()) return "";
    try {
      return human(Duration.between(Instant.parse(iso), Instant.now())) + " ago";
    } catch (RuntimeException e) {
      return iso;
    }
  }

  static Duration since(String iso) {
    try {
      return Duration.between(Instant.parse(iso), Instant.now());
    } catch (RuntimeException e) {
      return Duration.ZERO;
    }
  }

  /**
   * An OutputStream onto a PrintWriter: container output is bytes, picocli's out is a writer.
   * Decodes UTF-8 incrementally (a character split across two frames is kept until complete).
   */
  static OutputStream stream(PrintWriter w) {
    return new OutputStream() {
      private final CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
      private ByteBuffer pending = ByteBuffer.allocate(0);

      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public synchronized void write(byte[] b, int off, int len) {
        ByteBuffer in = ByteBuffer.allocate(pending.remaining() + len);
        in.put(pending).put(b, off, len).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        dec.decode(in, out, false);
        out.flip();
        w.append(out);
        pending = ByteBuffer.allocate(in.remaining()).put(in);
        pending.flip();
        w.flush();
      }

      @Override
      public void flush() {
        w.flush();
      }
    };
  }

  static void flushQuietly(OutputStream o) {
    try {
      o.flush();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
