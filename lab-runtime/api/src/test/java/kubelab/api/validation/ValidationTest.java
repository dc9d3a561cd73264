package kubelab.api.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import kubelab.api.Json;
import org.junit.jupiter.api.Test;

/** Field errors in Kubernetes 1.32's words: what `kubectl apply` prints after "is invalid:". */
class ValidationTest {
  private static JsonNode j(String s) throws Exception {
    return Json.MAPPER.readTree(s.replace('\'', '"'));
  }

  private static List<String> podErrors(String spec) throws Exception {
    return PodValidation.spec(j(spec), FieldPath.of("spec")).stream().map(FieldError::toString).toList();
  }

  @Test
  void aContainerWithoutAnImageIsARequiredValue() throws Exception {
    assertEquals(List.of("spec.containers[0].image: Required value"),
        podErrors("{'containers':[{'name':'web'}],'restartPolicy':'Always','dnsPolicy':'ClusterFirst'}"));
  }

  @Test
  void aPodWithoutContainersAndWithABadRestartPolicy() throws Exception {
    List<String> errs = podErrors("{'containers':[],'restartPolicy':'Sometimes'}");
    assertTrue(errs.contains("spec.containers: Required value"), errs.toString());
    assertTrue(errs.contains("spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
        errs.toString());
  }

  @Test
  void duplicateContainerNamesAndBadPorts() throws Exception {
    List<String> errs = podErrors("{'containers':[{'name':'a','image':'x','ports':[{'containerPort':70000}]},"
        + "{'name':'a','image':'x'}],'restartPolicy':'Always'}");
    assertTrue(errs.contains("spec.containers[1].name: Duplicate value: \"a\""), errs.toString());
    assertTrue(errs.stream().anyMatch(e -> e.startsWith("spec.containers[0].ports[0].containerPort: Invalid value: 70000: "
        + "must be between 1 and 65535, inclusive")), errs.toString());
  }

  @Test
  void namesFollowTheirRules() {
    assertEquals(List.of(), Names.dns1123Subdomain("web-1.example"));
    List<String> errs = Names.dns1123Subdomain("Web_1");
    assertEquals(1, errs.size());
    assertTrue(errs.get(0).startsWith("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
        + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "), errs.get(0));
    assertEquals(List.of("must be no more than 63 characters"), Names.dns1123Label("a".repeat(64)).subList(0, 1));
    assertEquals(List.of(), Names.check(Names.Rule.DNS_SUBDOMAIN, "web-", true), "a generateName may end in '-'");
    assertTrue(Names.dns1035Label("1abc").get(0).startsWith("a DNS-1035 label must consist of lower case alphanumeric characters"));
  }

  @Test
  void labelsAndAnnotationsAreChecked() throws Exception {
    List<String> errs = MetaValidation.labels(j("{'bad key':'v','ok/k':'bad value!'}"), FieldPath.of("metadata", "labels"))
        .stream().map(FieldError::toString).toList();
    assertEquals(2, errs.size(), errs.toString());
    assertTrue(errs.get(0).startsWith("metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters"), errs.get(0));
    assertTrue(errs.get(1).startsWith("metadata.labels: Invalid value: \"bad value!\": a valid label must be an empty string or consist of"),
        errs.get(1));
  }

  @Test
  void metadataNeedsANameOrGenerateNameAndANamespace() throws Exception {
    List<String> errs = MetaValidation.validate(j("{}"), true, Names.Rule.DNS_SUBDOMAIN).stream().map(FieldError::toString).toList();
    assertTrue(errs.contains("metadata.name: Required value: name or generateName is required"), errs.toString());
    assertTrue(errs.contains("metadata.namespace: Required value"), errs.toString());
  }

  @Test
  void cronSchedulesAreParsedLikeRobfigCron() {
    assertEquals(null, Cron.check("*/5 * * * *"));
    assertEquals(null, Cron.check("@hourly"));
    assertTrue(Cron.check("61 * * * *") != null);
    assertTrue(Cron.check("* * *") != null);
  }
}
