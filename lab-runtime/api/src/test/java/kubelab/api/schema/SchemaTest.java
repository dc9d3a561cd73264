package kubelab.api.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import kubelab.api.Json;
import org.junit.jupiter.api.Test;

/** The schema catalog: Go decode errors, unknown fields (kubectl's field validation) and protobuf bodies. */
class SchemaTest {
  private final SchemaCatalog catalog = SchemaCatalog.builtin();
  private final Schema pod = catalog.forKind("v1", "Pod").orElseThrow();

  private static JsonNode j(String s) throws Exception {
    return Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  @Test
  void typeErrorsAreWordedLikeGosJsonDecoder() throws Exception {
    assertNull(TypeChecker.typeError(pod, j("{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80}]}]}}")));
    assertEquals("json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
        TypeChecker.typeError(pod, j("{'spec':{'containers':[{'name':'a','ports':[{'containerPort':'80'}]}]}}")));
    assertEquals("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string",
        TypeChecker.typeError(pod, j("{'metadata':{'name':5}}")));
    assertEquals("json: cannot unmarshal number 3000000000 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32",
        TypeChecker.typeError(pod, j("{'spec':{'containers':[{'name':'a','ports':[{'containerPort':3000000000}]}]}}")));
    assertEquals(TypeChecker.QUANTITY_ERROR,
        TypeChecker.typeError(pod, j("{'spec':{'containers':[{'name':'a','resources':{'limits':{'cpu':'lots'}}}]}}")));
  }

  @Test
  void unknownFieldsAreListedWithTheirPaths() throws Exception {
    List<String> unknown = TypeChecker.unknownFields(pod, j("{'metadata':{'name':'a','nmae':'x'},"
        + "'spec':{'containers':[{'name':'a','imgae':'x'}]}}"));
    assertEquals(List.of("metadata.nmae", "spec.containers[0].imgae"), unknown);
  }

  @Test
  void mergeKeysComeFromTheGoStructTags() {
    Schema spec = pod.field("spec").schema();
    Field containers = spec.field("containers");
    assertEquals("name", containers.mergeKey());
    Field ports = containers.schema().element().field("ports");
    assertEquals("containerPort", ports.mergeKey());
    assertEquals("name", containers.schema().element().field("env").mergeKey());
    assertEquals("mountPath", containers.schema().element().field("volumeMounts").mergeKey());
    assertTrue(spec.field("tolerations").mergeKey() == null || spec.field("tolerations").mergeKey().isEmpty(),
        "tolerations are replaced whole, as in Kubernetes");
  }

  // ---- protobuf: a ConfigMap encoded by hand as client-go would send it ----

  private static void varint(ByteArrayOutputStream o, long v) {
    while ((v & ~0x7fL) != 0) {
      o.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    o.write((int) v);
  }

  private static void bytesField(ByteArrayOutputStream o, int n, byte[] b) {
    varint(o, ((long) n << 3) | 2);
    varint(o, b.length);
    o.writeBytes(b);
  }

  private static byte[] str(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aProtobufConfigMapDecodesToTheSameJson() throws Exception {
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    bytesField(meta, 1, str("cm"));                  // ObjectMeta.name = 1
    bytesField(meta, 3, str("default"));             // ObjectMeta.namespace = 3
    ByteArrayOutputStream entry = new ByteArrayOutputStream();
    bytesField(entry, 1, str("k"));
    bytesField(entry, 2, str("v"));
    ByteArrayOutputStream cm = new ByteArrayOutputStream();
    bytesField(cm, 1, meta.toByteArray());           // ConfigMap.metadata = 1
    bytesField(cm, 2, entry.toByteArray());          // ConfigMap.data = 2 (map entry)
    ByteArrayOutputStream typeMeta = new ByteArrayOutputStream();
    bytesField(typeMeta, 1, str("v1"));
    bytesField(typeMeta, 2, str("ConfigMap"));
    ByteArrayOutputStream unknown = new ByteArrayOutputStream();
    unknown.writeBytes(new byte[] {'k', '8', 's', 0});
    bytesField(unknown, 1, typeMeta.toByteArray());  // runtime.Unknown.typeMeta = 1
    bytesField(unknown, 2, cm.toByteArray());        // runtime.Unknown.raw = 2
    JsonNode decoded = ProtobufDecoder.decode(unknown.toByteArray(), catalog);
    assertEquals(j("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cm','namespace':'default'},'data':{'k':'v'}}"), decoded);
  }

  @Test
  void bytesWithoutTheMagicAreRejected() {
    assertTrue(!ProtobufDecoder.hasMagic(str("{}")));
    assertThrows(ProtobufDecoder.ProtobufException.class, () -> ProtobufDecoder.decode(str("{\"a\":1}"), catalog));
    assertThrows(RuntimeException.class, () -> ProtobufDecoder.decode(new byte[] {'k', '8', 's', 0, 10, (byte) 0xff}, catalog));
  }
}
