package kubelab.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Name rules with Kubernetes 1.32's messages (k8s.io/apimachinery/pkg/util/validation): each
 * function returns the list of problems (empty when valid), worded exactly as kube-apiserver
 * words them, because learners meet them in "is invalid" errors.
 */
public final class Names {
  private Names() {}

  private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
  private static final String DNS1035_LABEL = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_VALUE = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
  private static final Pattern P_LABEL = Pattern.compile("^" + DNS1123_LABEL + "$");
  private static final Pattern P_SUBDOMAIN = Pattern.compile("^" + DNS1123_SUBDOMAIN + "$");
  private static final Pattern P_1035 = Pattern.compile("^" + DNS1035_LABEL + "$");
  private static final Pattern P_QUALIFIED = Pattern.compile("^" + QUALIFIED_NAME + "$");
  private static final Pattern P_LABEL_VALUE = Pattern.compile("^" + LABEL_VALUE + "$");

  public static final int DNS1123_LABEL_MAX = 63;
  public static final int DNS1123_SUBDOMAIN_MAX = 253;
  public static final int QUALIFIED_NAME_MAX = 63;
  public static final int LABEL_VALUE_MAX = 63;

  /** The rule a kind's names follow. */
  public enum Rule { DNS_SUBDOMAIN, DNS_LABEL, DNS1035_LABEL, PATH_SEGMENT }

  /** Problems with {@code name} under {@code rule}; {@code prefix}: a generateName (may end in '-'). */
  public static List<String> check(Rule rule, String name, boolean prefix) {
    if (prefix && rule != Rule.PATH_SEGMENT) name = maskTrailingDash(name);
    return switch (rule) {
      case DNS_SUBDOMAIN -> dns1123Subdomain(name);
      case DNS_LABEL -> dns1123Label(name);
      case DNS1035_LABEL -> dns1035Label(name);
      case PATH_SEGMENT -> pathSegment(name, prefix);
    };
  }

  private static String maskTrailingDash(String name) {
    if (name.length() > 1 && name.endsWith("-")) return name.substring(0, name.length() - 2) + "a";
    return name;
  }

  public static List<String> dns1123Label(String v) {
    List<String> errs = new ArrayList<>();
    if (v.length() > DNS1123_LABEL_MAX) errs.add(maxLen(DNS1123_LABEL_MAX));
    if (!P_LABEL.matcher(v).matches()) {
      errs.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
          + "or '-', and must start and end with an alphanumeric character", DNS1123_LABEL, "my-name", "123-abc"));
    }
    return errs;
  }

  public static List<String> dns1123Subdomain(String v) {
    List<String> errs = new ArrayList<>();
    if (v.length() > DNS1123_SUBDOMAIN_MAX) errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
    if (!P_SUBDOMAIN.matcher(v).matches()) {
      errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
          + "characters, '-' or '.', and must start and end with an alphanumeric character",
          DNS1123_SUBDOMAIN, "example.com"));
    }
    return errs;
  }

  public static List<String> dns1035Label(String v) {
    List<String> errs = new ArrayList<>();
    if (v.length() > DNS1123_LABEL_MAX) errs.add(maxLen(DNS1123_LABEL_MAX));
    if (!P_1035.matcher(v).matches()) {
      errs.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
          + "start with an alphabetic character, and end with an alphanumeric character",
          DNS1035_LABEL, "my-name", "abc-123"));
    }
    return errs;
  }

  /** RBAC names and others that only need to be a URL path segment. */
  public static List<String> pathSegment(String v, boolean prefix) {
    List<String> errs = new ArrayList<>();
    if (!prefix && (v.equals(".") || v.equals(".."))) errs.add("may not be '" + v + "'");
    if (v.contains("/")) errs.add("may not contain '/'");
    if (v.contains("%")) errs.add("may not contain '%'");
    return errs;
  }

  /** Label keys, annotation keys, finalizers: an optional DNS subdomain prefix and '/', then a name. */
  public static List<String> qualifiedName(String v) {
    List<String> errs = new ArrayList<>();
    String[] parts = v.split("/", -1);
    String name;
    switch (parts.length) {
      case 1 -> name = parts[0];
      case 2 -> {
        String prefix = parts[0];
        name = parts[1];
        if (prefix.isEmpty()) {
          errs.add("prefix part " + "must be non-empty");
        } else {
          for (String m : dns1123Subdomain(prefix)) errs.add("prefix part " + m);
        }
      }
      default -> {
        errs.add(regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character", QUALIFIED_NAME, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return errs;
      }
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > QUALIFIED_NAME_MAX) {
      errs.add("name part " + maxLen(QUALIFIED_NAME_MAX));
    }
    if (!P_QUALIFIED.matcher(name).matches()) {
      errs.add("name part " + regexError("must consist of alphanumeric characters, '-', '_' or '.', and "
          + "must start and end with an alphanumeric character", QUALIFIED_NAME, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  public static List<String> labelValue(String v) {
    List<String> errs = new ArrayList<>();
    if (v.length() > LABEL_VALUE_MAX) errs.add(maxLen(LABEL_VALUE_MAX));
    if (!P_LABEL_VALUE.matcher(v).matches()) {
      errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, "
          + "'-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE,
          "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  /** {@code must be no more than N characters}. */
  public static String maxLen(int n) {
    return "must be no more than " + n + " characters";
  }

  /** apimachinery's RegexError: {@code MSG (e.g. 'a',  or 'b', regex used for validation is 'R')}. */
  static String regexError(String msg, String regex, String... examples) {
    StringBuilder b = new StringBuilder(msg);
    if (examples.length > 0) {
      b.append(" (e.g. ");
      for (int i = 0; i < examples.length; i++) {
        if (i > 0) b.append(",  or ");
        b.append('\'').append(examples[i]).append('\'');
      }
      b.append(", regex used for validation is '").append(regex).append("')");
    } else {
      b.append(" (regex used for validation is '").append(regex).append("')");
    }
    return b.toString();
  }
}
