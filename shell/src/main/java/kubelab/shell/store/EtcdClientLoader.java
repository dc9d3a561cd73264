package kubelab.shell.store;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import kubelab.store.KvStore;

/**
 * Loads the etcd client (jetcd, gRPC, Netty, Vert.x: about 19 MB) only when {@code lab bench
 * store} needs it, from the lab-store-etcd module's build output, in a class loader of its own:
 * no other command carries those jars, and their versions cannot clash with lab.jar's. Only
 * KubeLab's own types (the KvStore interface) are shared with the parent loader.
 *
 * <p>Where: {@code $LAB_ETCD_CLIENT_DIR}, else {@code lab-runtime/store-etcd/target} next to the
 * directory lab.jar was built in (the Maven reactor builds it with everything else).
 */
final class EtcdClientLoader {
  private EtcdClientLoader() {}

  /** Why the client is missing, or null if {@link #factory()} will work. */
  static String missing() {
    Path d = dir();
    if (d == null) return "cannot tell where KubeLab was built; set LAB_ETCD_CLIENT_DIR to lab-runtime/store-etcd/target";
    if (!(Files.exists(d.resolve("lab-store-etcd.jar")) || Files.isDirectory(d.resolve("classes"))) || !Files.isDirectory(d.resolve("lib"))) {
      return "the etcd client is not built in " + d + " (run: mvn -B -pl lab-runtime/store-etcd -am package -DskipTests)";
    }
    return null;
  }

  static Path dir() {
    String env = System.getenv("LAB_ETCD_CLIENT_DIR");
    if (env != null && !env.isBlank()) return Path.of(env);
    try {
      Path code = Path.of(EtcdClientLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // shell/target/lab.jar or shell/target/classes: the project root is three levels up.
      Path root = code.getParent().getParent().getParent();
      return root.resolve("lab-runtime").resolve("store-etcd").resolve("target");
    } catch (Exception e) {
      return null;
    }
  }

  /** Held so the level set below sticks (java.util.logging keeps loggers weakly). */
  private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

  /** A factory of etcd clients (endpoints → KvStore), loaded now. */
  static Function<List<String>, KvStore> factory() throws IOException {
    // gRPC and SLF4J (no provider here) would otherwise chat on stderr.
    GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    Path d = dir();
    List<URL> urls = new ArrayList<>();
    Path jar = d.resolve("lab-store-etcd.jar");
    urls.add((Files.exists(jar) ? jar : d.resolve("classes")).toUri().toURL());
    try (Stream<Path> s = Files.list(d.resolve("lib"))) {
      for (Path p : s.filter(x -> x.toString().endsWith(".jar")).sorted().toList()) urls.add(p.toUri().toURL());
    }
    ClassLoader loader = new ChildFirst(urls.toArray(URL[]::new), EtcdClientLoader.class.getClassLoader());
    try {
      Class<?> c = Class.forName("kubelab.store.etcd.EtcdKvStore", true, loader);
      var ctor = c.getConstructor(List.class);
      return eps -> {
        try {
          return (KvStore) ctor.newInstance(eps);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("cannot start the etcd client: " + e.getCause(), e);
        }
      };
    } catch (ReflectiveOperationException e) {
      throw new IOException("cannot load the etcd client from " + d + ": " + e, e);
    }
  }

  /** Child-first, except for the JDK and KubeLab's own types (which must be the parent's). */
  private static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL[] urls, ClassLoader parent) {
      super("kubelab-etcd-client", urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        boolean shared = name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
            || (name.startsWith("kubelab.") && !name.startsWith("kubelab.store.etcd."));
        if (shared) return super.loadClass(name, resolve);
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException e) {
            return super.loadClass(name, resolve);
          }
        }
        if (resolve) resolveClass(c);
        return c;
      }
    }
  }
}
