package kubelab.client.events;

import kubelab.api.core.Event;
import kubelab.client.KubeClient;
import kubelab.client.PatchType;

/**
 * Where recorded events go (client-go record.EventSink): create a new Event, or patch the count,
 * lastTimestamp and message of one already posted. The real sink writes core/v1 Events through the
 * API; tests may collect them in memory. Both answer with the Event as stored. Implementations are
 * called from the broadcaster's one posting thread.
 */
public interface EventSink {
  Event create(Event e);

  /** Applies a strategic-merge patch to the existing event {@code e} (its namespace and name). */
  Event patch(Event e, String patch);

  /** The sink that posts to the API server: {@code POST}/{@code PATCH} on /api/v1/namespaces/NS/events. */
  static EventSink of(KubeClient client) {
    return new EventSink() {
      @Override public Event create(Event e) {
        return client.events(e.metadata.namespace).create(e);
      }

      @Override public Event patch(Event e, String patch) {
        try {
          return client.events(e.metadata.namespace).patch(e.metadata.name, PatchType.STRATEGIC_MERGE, patch);
        } catch (kubelab.client.ApiException.UnsupportedMediaType notSupported) {
          // a server without strategic merge for events: a JSON merge patch means the same here
          return client.events(e.metadata.namespace).patch(e.metadata.name, PatchType.MERGE, patch);
        }
      }
    };
  }
}
