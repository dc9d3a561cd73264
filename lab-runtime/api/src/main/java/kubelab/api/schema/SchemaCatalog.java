package kubelab.api.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every object type KubeLab knows, loaded from the compact schema files beside this class
 * ({@code meta.types}, {@code core.types}, {@code groups.types}; their header explains the format).
 *
 * <p>One catalog serves four consumers, so they cannot disagree: decoding checks (type errors and
 * unknown fields), strategic merge patch (merge keys), the OpenAPI v3 documents kubectl reads for
 * {@code explain} and client-side patch computation, and documentation. Thread-safe after loading.
 */
public final class SchemaCatalog {
  private static final String[] FILES = {"meta.types", "core.types", "groups.types"};
  private static final SchemaCatalog BUILTIN = load();

  private final Map<String, Schema> definitions = new LinkedHashMap<>();
  private final Map<String, Schema> byKind = new LinkedHashMap<>();

  public static SchemaCatalog builtin() {
    return BUILTIN;
  }

  public Collection<Schema> definitions() {
    return definitions.values();
  }

  public Schema definition(String name) {
    return definitions.get(name);
  }

  /** The top-level type of apiVersion/kind ("apps/v1", "Deployment"), if known. */
  public Optional<Schema> forKind(String apiVersion, String kind) {
    return Optional.ofNullable(byKind.get(apiVersion + "/" + kind));
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  private record PendingField(Schema owner, String name, String typeRef, boolean required, String strategy,
                              String mergeKey, String listType, List<String> keys, String description,
                              int[] proto, boolean keepZero) {}

  private static SchemaCatalog load() {
    SchemaCatalog c = new SchemaCatalog();
    List<PendingField> pending = new ArrayList<>();
    for (String f : FILES) c.parse(f, pending);
    for (PendingField p : pending) {
      Schema s = c.resolveType(p.typeRef(), p.owner());
      p.owner().fields.put(p.name(), new Field(p.name(), s, p.required(), p.strategy(), p.mergeKey(),
          p.listType(), p.keys(), p.description(), p.proto(), p.keepZero()));
    }
    return c;
  }

  private void parse(String file, List<PendingField> pending) {
    InputStream in = SchemaCatalog.class.getResourceAsStream(file);
    if (in == null) throw new IllegalStateException("schema file missing: " + file);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      Schema current = null;
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank() || line.stripLeading().startsWith("#")) continue;
        String desc = "";
        int d = line.indexOf(" : ");
        if (d >= 0) {
          desc = line.substring(d + 3).trim();
          line = line.substring(0, d);
        }
        String[] tok = line.trim().split("\\s+");
        if (!line.startsWith(" ")) {
          if (!tok[0].equals("type") || tok.length < 2) throw new IllegalStateException(file + ":" + n + ": expected 'type NAME'");
          current = new Schema(Schema.Type.OBJECT, fullName(tok[1]));
          current.description = desc;
          for (int i = 2; i < tok.length; i++) {
            if (tok[i].equals("open")) current.open = true;
            else if (tok[i].startsWith("kind=")) {
              String[] gvk = tok[i].substring(5).split("/");
              current.group = gvk[0];
              current.version = gvk[1];
              current.kind = gvk[2];
              String av = gvk[0].isEmpty() ? gvk[1] : gvk[0] + "/" + gvk[1];
              byKind.put(av + "/" + gvk[2], current);
            }
          }
          definitions.put(current.definition, current);
          continue;
        }
        if (current == null || tok.length < 2) throw new IllegalStateException(file + ":" + n + ": field outside a type");
        boolean required = false;
        String strategy = "";
        String mergeKey = "";
        String listType = "";
        List<String> keys = List.of();
        int[] proto = new int[0];
        boolean keepZero = false;
        for (int i = 2; i < tok.length; i++) {
          String t = tok[i];
          if (t.startsWith("#")) {
            String num = t.substring(1);
            if (num.endsWith("z")) {
              keepZero = true;
              num = num.substring(0, num.length() - 1);
            }
            proto = Arrays.stream(num.split("\\.")).mapToInt(Integer::parseInt).toArray();
          } else if (t.equals("required")) required = true;
          else if (t.startsWith("merge=")) {
            mergeKey = t.substring(6);
            if (strategy.isEmpty()) strategy = "merge";
          } else if (t.startsWith("strategy=")) strategy = t.substring(9);
          else if (t.startsWith("list=")) listType = t.substring(5);
          else if (t.startsWith("keys=")) keys = Arrays.asList(t.substring(5).split(","));
          else throw new IllegalStateException(file + ":" + n + ": unknown flag " + t);
        }
        pending.add(new PendingField(current, tok[0], tok[1], required, strategy, mergeKey, listType, keys, desc,
            proto, keepZero));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** meta.v1.ObjectMeta -> io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta; core.v1.Pod -> io.k8s.api.core.v1.Pod. */
  static String fullName(String shortName) {
    if (shortName.startsWith("meta.")) return "io.k8s.apimachinery.pkg.apis." + shortName;
    return "io.k8s.api." + shortName;
  }

  private Schema resolveType(String ref, Schema owner) {
    if (ref.startsWith("[]")) return Schema.arrayOf(resolveType(ref.substring(2), owner));
    if (ref.startsWith("map[") && ref.endsWith("]")) return Schema.mapOf(resolveType(ref.substring(4, ref.length() - 1), owner));
    switch (ref) {
      case "string": return Schema.primitive(Schema.Type.STRING);
      case "int32": return Schema.primitive(Schema.Type.INT32);
      case "int64": return Schema.primitive(Schema.Type.INT64);
      case "number": return Schema.primitive(Schema.Type.NUMBER);
      case "boolean": return Schema.primitive(Schema.Type.BOOLEAN);
      case "quantity": return Schema.primitive(Schema.Type.QUANTITY);
      case "intorstring": return Schema.primitive(Schema.Type.INT_OR_STRING);
      case "time": return Schema.primitive(Schema.Type.TIME);
      case "bytes": return Schema.primitive(Schema.Type.BYTES);
      case "any": return Schema.primitive(Schema.Type.ANY);
      case "object": return new Schema(Schema.Type.OBJECT, null);
      default: break;
    }
    if (ref.contains(".")) {
      Schema s = definitions.get(fullName(ref));
      if (s == null) throw new IllegalStateException("unknown type " + ref + " in " + owner.definition);
      return s;
    }
    List<Schema> candidates = new ArrayList<>();
    for (Schema s : definitions.values()) if (s.simpleName().equals(ref)) candidates.add(s);
    if (candidates.isEmpty()) throw new IllegalStateException("unknown type " + ref + " in " + owner.definition);
    if (candidates.size() == 1) return candidates.get(0);
    String ownerPkg = owner.definition.substring(0, owner.definition.lastIndexOf('.') + 1);
    for (Schema s : candidates) if (s.definition.startsWith(ownerPkg)) return s;
    for (Schema s : candidates) if (s.definition.startsWith("io.k8s.apimachinery")) return s;
    for (Schema s : candidates) if (s.definition.startsWith("io.k8s.api.core.v1")) return s;
    throw new IllegalStateException("ambiguous type " + ref + " in " + owner.definition + ": " + candidates);
  }
}
