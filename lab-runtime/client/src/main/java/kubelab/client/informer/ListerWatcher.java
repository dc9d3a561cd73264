package kubelab.client.informer;

import kubelab.api.meta.KubeList;
import kubelab.api.meta.KubeObject;
import kubelab.client.ListOptions;
import kubelab.client.ResourceClient;
import kubelab.client.Watch;

/**
 * What a {@link Reflector} needs from the API: list a resource, and watch it from a
 * resourceVersion (client-go cache.ListerWatcher).
 *
 * <p>Two implementations behind this one interface, tested by the same contract test: the real
 * one over HTTP ({@link #of(ResourceClient, ListOptions)}), and {@link InMemoryListerWatcher}, an
 * in-process fake for pure tests of informers and of components built on them.
 *
 * <p>Contract: {@code list} returns a consistent snapshot whose {@code metadata.resourceVersion}
 * a {@code watch} can start from; a watch delivers every change after that version exactly once,
 * in order, or fails with 410 Gone ({@code ApiException.Gone}, or an ERROR event) when the version
 * is no longer available. Implementations are thread-safe.
 */
public interface ListerWatcher<T extends KubeObject> {
  /** One list call (the reflector pages with limit/continue itself). */
  KubeList<T> list(ListOptions opts);

  /** Opens a watch; the caller closes it. */
  Watch<T> watch(ListOptions opts);

  /**
   * The real ListerWatcher over a resource client, narrowed by the label and field selectors of
   * {@code selectors} (its other fields are ignored: the reflector sets versions and paging).
   * Selectors a caller passes to list or watch are ANDed with these.
   */
  static <T extends KubeObject> ListerWatcher<T> of(ResourceClient<T> client, ListOptions selectors) {
    return new ListerWatcher<>() {
      private ListOptions narrow(ListOptions opts) {
        return opts.withLabelSelector(and(selectors.labelSelector(), opts.labelSelector()))
            .withFieldSelector(and(selectors.fieldSelector(), opts.fieldSelector()));
      }

      @Override public KubeList<T> list(ListOptions opts) {
        return client.list(narrow(opts));
      }

      @Override public Watch<T> watch(ListOptions opts) {
        return client.watch(narrow(opts));
      }

      @Override public String toString() {
        return client.type() + (client.namespace() == null ? "" : " in " + client.namespace());
      }
    };
  }

  /** Two selector strings as one (comma is AND in both label and field selectors). */
  private static String and(String a, String b) {
    if (a == null || a.isEmpty()) return b;
    if (b == null || b.isEmpty()) return a;
    return a + "," + b;
  }

  static <T extends KubeObject> ListerWatcher<T> of(ResourceClient<T> client) {
    return of(client, ListOptions.ALL);
  }
}
