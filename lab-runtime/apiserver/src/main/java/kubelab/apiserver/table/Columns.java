package kubelab.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A {@link TableConvertor} assembled from columns, each a name, a type ("string", "integer",
 * "date"), an optional format ("name"), a description, a priority (0 always shown, 1 only with
 * {@code -o wide}) and a function computing the cell.
 */
public final class Columns implements TableConvertor {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private record Column(String name, String type, String format, String description, int priority,
                        BiFunction<ObjectNode, Instant, Object> value) {}

  private final List<Column> columns = new ArrayList<>();
  private ArrayNode definitions;

  public Columns add(String name, String type, String format, String description, int priority,
      BiFunction<ObjectNode, Instant, Object> value) {
    columns.add(new Column(name, type, format, description, priority, value));
    definitions = null;
    return this;
  }

  /** The usual first column: the object's name. */
  public Columns name(String description) {
    return add("Name", "string", "name", description, 0, (o, now) -> o.path("metadata").path("name").asText());
  }

  /** The usual last column: how long ago the object was created. */
  public Columns age() {
    return add("Age", "string", "", "CreationTimestamp is a timestamp representing the server time "
        + "when this object was created.", 0, (o, now) -> Ages.since(o.path("metadata").path("creationTimestamp").asText(null), now));
  }

  @Override
  public synchronized ArrayNode columnDefinitions() {
    if (definitions == null) {
      ArrayNode a = F.arrayNode();
      for (Column c : columns) {
        ObjectNode d = a.addObject();
        d.put("name", c.name());
        d.put("type", c.type());
        d.put("format", c.format());
        d.put("description", c.description());
        d.put("priority", c.priority());
      }
      definitions = a;
    }
    return definitions.deepCopy();
  }

  @Override
  public ArrayNode cells(ObjectNode obj, Instant now) {
    ArrayNode a = F.arrayNode();
    for (Column c : columns) {
      Object v = c.value().apply(obj, now);
      if (v == null) a.addNull();
      else if (v instanceof JsonNode n) a.add(n);
      else if (v instanceof Integer i) a.add(i);
      else if (v instanceof Long l) a.add(l);
      else if (v instanceof Boolean b) a.add(b);
      else a.add(v.toString());
    }
    return a;
  }
}
