package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import kubelab.api.registry.ResourceType;
import kubelab.api.schema.Schema;
import kubelab.api.schema.SchemaCatalog;
import kubelab.api.schema.TypeChecker;

/** {@link SchemaCheck} against the built-in {@link SchemaCatalog}; kinds it does not describe pass. */
public final class CatalogSchemaCheck implements SchemaCheck {
  private final SchemaCatalog catalog;

  public CatalogSchemaCheck(SchemaCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public List<String> typeErrors(ResourceType t, ObjectNode obj) {
    Schema s = catalog.forKind(t.apiVersion(), t.kind()).orElse(null);
    if (s == null) return List.of();
    String e = TypeChecker.typeError(s, obj);
    return e == null ? List.of() : List.of(e);
  }

  @Override
  public List<String> unknownFields(ResourceType t, ObjectNode obj) {
    Schema s = catalog.forKind(t.apiVersion(), t.kind()).orElse(null);
    return s == null ? List.of() : TypeChecker.unknownFields(s, obj);
  }
}
