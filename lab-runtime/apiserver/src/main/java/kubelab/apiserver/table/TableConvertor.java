package kubelab.apiserver.table;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Server-side printing of one kind: the column definitions of its Table and the cells of one row
 * (what {@code kubectl get} prints; priority 1 columns appear with {@code -o wide}).
 * Implementations are stateless and thread-safe.
 */
public interface TableConvertor {
  ArrayNode columnDefinitions();

  /** The cells of one object's row; {@code now} computes ages. */
  ArrayNode cells(ObjectNode obj, Instant now);
}
