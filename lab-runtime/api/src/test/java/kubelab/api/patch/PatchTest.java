package kubelab.api.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import kubelab.api.Json;
import kubelab.api.schema.Schema;
import kubelab.api.schema.SchemaCatalog;
import org.junit.jupiter.api.Test;

/**
 * The three patch types kubectl sends, with the cases from Kubernetes' own tests
 * (apimachinery strategicpatch, evanphx/json-patch, RFC 7386 examples).
 */
class PatchTest {
  private static final Schema POD = SchemaCatalog.builtin().forKind("v1", "Pod").orElseThrow();
  private static final Schema DEPLOYMENT = SchemaCatalog.builtin().forKind("apps/v1", "Deployment").orElseThrow();

  private static JsonNode j(String s) {
    try {
      return Json.MAPPER.readTree(s.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // ---- JSON merge patch (RFC 7386) ----

  @Test
  void mergePatchFollowsRfc7386() {
    assertEquals(j("{'a':'z','c':{'d':'e'}}"), JsonMergePatch.apply(j("{'a':'b','c':{'d':'e','f':'g'}}"), j("{'a':'z','c':{'f':null}}")));
    assertEquals(j("{'a':['b']}"), JsonMergePatch.apply(j("{'a':[{'b':'c'}]}"), j("{'a':['b']}")), "lists are replaced");
    assertEquals(j("{'a':{'bb':{}}}"), JsonMergePatch.apply(j("{}"), j("{'a':{'bb':{'ccc':null}}}")));
    assertEquals(j("['c']"), JsonMergePatch.apply(j("{'a':'foo'}"), j("['c']")));
  }

  // ---- JSON patch (RFC 6902) ----

  @Test
  void jsonPatchAppliesOperationsInOrder() {
    JsonNode doc = j("{'metadata':{'labels':{'a':'1'}},'spec':{'replicas':1,'list':[1,2,3]}}");
    JsonNode out = JsonPatch.apply(doc, j("[{'op':'replace','path':'/spec/replicas','value':3},"
        + "{'op':'add','path':'/metadata/labels/app~1name','value':'web'},"
        + "{'op':'remove','path':'/spec/list/1'},{'op':'add','path':'/spec/list/-','value':9},"
        + "{'op':'copy','from':'/spec/replicas','path':'/spec/copy'},{'op':'move','from':'/spec/copy','path':'/spec/moved'},"
        + "{'op':'test','path':'/spec/moved','value':3}]"));
    assertEquals(j("{'metadata':{'labels':{'a':'1','app/name':'web'}},'spec':{'replicas':3,'list':[1,3,9],'moved':3}}"), out);
    assertEquals(j("{'metadata':{'labels':{'a':'1'}},'spec':{'replicas':1,'list':[1,2,3]}}"), doc, "the input is unchanged");
  }

  @Test
  void jsonPatchErrorsAreKubernetesWording() {
    PatchException e = assertThrows(PatchException.class,
        () -> JsonPatch.apply(j("{'a':1}"), j("[{'op':'test','path':'/a','value':2}]")));
    assertTrue(e.getMessage().contains("testing value /a failed"), e.getMessage());
    assertThrows(PatchException.class, () -> JsonPatch.apply(j("{'a':1}"), j("[{'op':'remove','path':'/missing'}]")));
    assertThrows(PatchException.class, () -> JsonPatch.apply(j("{'a':1}"), j("{'op':'add'}")));
  }

  // ---- strategic merge patch ----

  @Test
  void containersMergeByNameAndKeepTheOthers() {
    JsonNode pod = j("{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:1'}]}}");
    JsonNode out = StrategicMergePatch.apply(pod, j("{'spec':{'containers':[{'name':'b','image':'b:2'},{'name':'c','image':'c:1'}]}}"), POD);
    assertEquals(j("{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:2'},{'name':'c','image':'c:1'}]}}"), out);
  }

  @Test
  void deleteDirectiveRemovesAListElementByMergeKey() {
    JsonNode pod = j("{'spec':{'containers':[{'name':'a','image':'a:1'},{'name':'b','image':'b:1'}]}}");
    JsonNode out = StrategicMergePatch.apply(pod, j("{'spec':{'containers':[{'name':'a','$patch':'delete'}]}}"), POD);
    assertEquals(j("{'spec':{'containers':[{'name':'b','image':'b:1'}]}}"), out);
  }

  @Test
  void nestedListsMergeByTheirOwnKeys() {
    JsonNode pod = j("{'spec':{'containers':[{'name':'a','image':'a:1',"
        + "'ports':[{'containerPort':80,'name':'http'},{'containerPort':443}],"
        + "'env':[{'name':'X','value':'1'},{'name':'Y','value':'2'}]}]}}");
    JsonNode out = StrategicMergePatch.apply(pod, j("{'spec':{'containers':[{'name':'a',"
        + "'ports':[{'containerPort':80,'protocol':'TCP'}],'env':[{'name':'Y','value':'3'},{'name':'X','$patch':'delete'}]}]}}"), POD);
    assertEquals(j("{'spec':{'containers':[{'name':'a','image':'a:1',"
        + "'ports':[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443}],"
        + "'env':[{'name':'Y','value':'3'}]}]}}"), out);
  }

  @Test
  void conditionsMergeByTypeAndVolumesByName() {
    JsonNode pod = j("{'spec':{'volumes':[{'name':'v','emptyDir':{}}]},"
        + "'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'PodScheduled','status':'True'}]}}");
    JsonNode out = StrategicMergePatch.apply(pod, j("{'spec':{'volumes':[{'name':'w','configMap':{'name':'c'}}]},"
        + "'status':{'conditions':[{'type':'Ready','status':'True'}]}}"), POD);
    assertEquals(j("{'spec':{'volumes':[{'name':'v','emptyDir':{}},{'name':'w','configMap':{'name':'c'}}]},"
        + "'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'PodScheduled','status':'True'}]}}"), out);
  }

  @Test
  void setElementOrderReordersAMergedList() {
    JsonNode pod = j("{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}");
    JsonNode out = StrategicMergePatch.apply(pod, j("{'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'c'},{'name':'a'}],"
        + "'containers':[{'name':'c','image':'c'}]}}"), POD);
    assertEquals(j("{'spec':{'containers':[{'name':'b'},{'name':'c','image':'c'},{'name':'a'}]}}"), out);
  }

  @Test
  void retainKeysDropsTheFieldsNotListed() {
    JsonNode d = j("{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}");
    JsonNode out = StrategicMergePatch.apply(d, j("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}"), DEPLOYMENT);
    assertEquals(j("{'spec':{'strategy':{'type':'Recreate'}}}"), out);
  }

  @Test
  void listsWithoutAMergeKeyAreReplacedAndNullDeletes() {
    JsonNode pod = j("{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'containers':[{'name':'a','args':['x','y']}]}}");
    JsonNode out = StrategicMergePatch.apply(pod, j("{'metadata':{'labels':{'a':null}},'spec':{'containers':[{'name':'a','args':['z']}]}}"), POD);
    assertEquals(j("{'metadata':{'labels':{'b':'2'}},'spec':{'containers':[{'name':'a','args':['z']}]}}"), out);
  }

  @Test
  void replaceDirectiveReplacesTheWholeList() {
    JsonNode pod = j("{'spec':{'containers':[{'name':'a'},{'name':'b'}]}}");
    JsonNode out = StrategicMergePatch.apply(pod, j("{'spec':{'containers':[{'name':'c'},{'$patch':'replace'}]}}"), POD);
    assertEquals(j("{'spec':{'containers':[{'name':'c'}]}}"), out);
  }

  @Test
  void primitiveMergeListsTakeDeleteFromPrimitiveList() {
    JsonNode pod = j("{'metadata':{'finalizers':['a','b','c']}}");
    JsonNode out = StrategicMergePatch.apply(pod, j("{'metadata':{'$deleteFromPrimitiveList/finalizers':['b'],'finalizers':['d']}}"), POD);
    assertEquals(j("{'metadata':{'finalizers':['a','c','d']}}"), out);
  }

  @Test
  void aNonObjectPatchIsABadRequest() {
    PatchException e = assertThrows(PatchException.class, () -> StrategicMergePatch.apply(j("{}"), j("[1]"), POD));
    assertTrue(e.badRequest());
  }
}
