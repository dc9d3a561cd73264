package kubelab.client.informer;

import java.util.ArrayList;
import java.util.List;
import kubelab.api.meta.KubeObject;

/** A handler that records what it was told, as short strings: "add a", "add a (initial)", "update a 1->2", "delete a (unknown)". */
class Recorder<T extends KubeObject> implements ResourceEventHandler<T> {
  private final List<String> events = new ArrayList<>();

  @Override public synchronized void onAdd(T obj, boolean initial) {
    events.add("add " + obj.metadata.name + (initial ? " (initial)" : ""));
  }

  @Override public synchronized void onUpdate(T oldObj, T newObj) {
    events.add("update " + newObj.metadata.name + " " + oldObj.metadata.resourceVersion + "->" + newObj.metadata.resourceVersion);
  }

  @Override public synchronized void onDelete(T obj, boolean unknown) {
    events.add("delete " + obj.metadata.name + (unknown ? " (unknown)" : ""));
  }

  synchronized List<String> events() {
    return new ArrayList<>(events);
  }

  synchronized int size() {
    return events.size();
  }

  synchronized void clear() {
    events.clear();
  }
}
