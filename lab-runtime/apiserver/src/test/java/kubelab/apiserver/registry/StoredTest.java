package kubelab.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import kubelab.api.Json;
import org.junit.jupiter.api.Test;

/** Objects served from their stored bytes equal the decoded-and-encoded ones. */
class StoredTest {
  private static ObjectNode j(String s) throws Exception {
    return (ObjectNode) Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void theResourceVersionIsSplicedIntoTheTopLevelMetadata() throws Exception {
    ObjectNode obj = j("{'spec':{'template':{'metadata':{'labels':{'a':'b'}}}},'kind':'Deployment','apiVersion':'apps/v1',"
        + "'metadata':{'name':'web','resourceVersion':'1'}}");
    byte[] stored = ObjectStore.encode(obj);
    assertEquals("{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"}",
        new String(stored, StandardCharsets.UTF_8).substring(0, 69), "apiVersion, kind, metadata first; no resourceVersion");
    Stored s = Stored.lazy("/registry/deployments/default/web", stored, 42);
    JsonNode served = Json.MAPPER.readTree(s.json());
    assertEquals("42", served.path("metadata").path("resourceVersion").asText());
    assertEquals(s.object(), served, "the same object as decoding gives");
    assertEquals("b", served.path("spec").path("template").path("metadata").path("labels").path("a").asText());
  }

  @Test
  void emptyOrMissingMetadata() throws Exception {
    assertEquals(j("{'metadata':{'resourceVersion':'7'}}"),
        Json.MAPPER.readTree(Stored.withResourceVersion("{\"metadata\":{}}".getBytes(StandardCharsets.UTF_8), 7)));
    assertNull(Stored.withResourceVersion("{\"kind\":\"X\"}".getBytes(StandardCharsets.UTF_8), 7));
    Stored s = Stored.lazy("/k", "{\"kind\":\"X\"}".getBytes(StandardCharsets.UTF_8), 7);
    assertArrayEquals(Json.MAPPER.writeValueAsBytes(s.object()), s.json(), "falls back to the tree");
  }

  @Test
  void onceDecodedTheTreeIsServed() throws Exception {
    Stored s = Stored.lazy("/k", ObjectStore.encode(j("{'kind':'ConfigMap','metadata':{'name':'a'}}")), 3);
    s.object().with("metadata").put("name", "changed");
    assertEquals("changed", Json.MAPPER.readTree(s.json()).path("metadata").path("name").asText());
  }
}
