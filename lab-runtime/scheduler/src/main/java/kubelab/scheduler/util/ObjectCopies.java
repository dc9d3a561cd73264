package kubelab.scheduler.util;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kubelab.api.Json;
import kubelab.api.core.Pod;
import kubelab.api.core.PodSpec;
import kubelab.api.core.PodStatus;
import kubelab.api.meta.Extensible;
import kubelab.api.meta.ObjectMeta;

/**
 * Copies of API objects the scheduler modifies. The scheduler never changes an object it got from
 * an informer (other components share it): the assumed pod is a copy with {@code nodeName} set.
 *
 * <p>{@link #shallow} copies one level (public fields and unknown fields) by reflection; the
 * helpers below copy the levels a change touches, so binding 10,000 pods does not serialize each
 * one. {@link #deep} round-trips through JSON for everything else.
 */
public final class ObjectCopies {
  private ObjectCopies() {}

  private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

  private static List<Field> fields(Class<?> c) {
    return FIELDS.computeIfAbsent(c, k -> {
      List<Field> out = new ArrayList<>();
      for (Class<?> x = k; x != null && x != Object.class; x = x.getSuperclass()) {
        for (Field f : x.getDeclaredFields()) {
          int m = f.getModifiers();
          if (Modifier.isStatic(m) || !Modifier.isPublic(m)) continue;
          out.add(f);
        }
      }
      return out;
    });
  }

  /** A new object of the same class with the same field values (one level deep). */
  @SuppressWarnings("unchecked")
  public static <T extends Extensible> T shallow(T o) {
    try {
      T c = (T) o.getClass().getDeclaredConstructor().newInstance();
      for (Field f : fields(o.getClass())) f.set(c, f.get(o));
      for (var e : o.unknownFields().entrySet()) c.setUnknownField(e.getKey(), e.getValue());
      return c;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot copy " + o.getClass().getSimpleName() + ": " + e, e);
    }
  }

  /** A deep copy through JSON. */
  @SuppressWarnings("unchecked")
  public static <T> T deep(T o) {
    return (T) Json.read(Json.toBytes(o), o.getClass());
  }

  /** The pod with {@code spec.nodeName} set (metadata and spec copied, the rest shared). */
  public static Pod withNodeName(Pod pod, String node) {
    Pod c = shallow(pod);
    c.metadata = shallow(pod.metadata);
    c.spec = shallow(pod.spec);
    c.spec.nodeName = node;
    return c;
  }

  /** The pod with a new status object (a shallow copy of the old one, or a new one). */
  public static Pod withStatusCopy(Pod pod) {
    Pod c = shallow(pod);
    c.metadata = shallow(pod.metadata);
    c.status = pod.status == null ? new PodStatus() : shallow(pod.status);
    if (c.status.conditions != null) c.status.conditions = new ArrayList<>(c.status.conditions);
    return c;
  }

  /** The pod with a copied metadata object (to set deletionTimestamp, resourceVersion...). */
  public static Pod withMetadataCopy(Pod pod) {
    Pod c = shallow(pod);
    ObjectMeta m = shallow(pod.metadata);
    c.metadata = m;
    return c;
  }

  static PodSpec spec(Pod p) {
    return p.spec;
  }
}
