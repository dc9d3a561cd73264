package kubelab.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON and YAML codec of the object model: one configured {@link ObjectMapper} each, shared
 * (they are thread-safe once configured).
 *
 * <p>Absent fields stay absent: nulls are not written, so a typed read-modify-write does not add
 * {@code "nodeName": null} to an object. Unknown fields are kept by {@link
 * kubelab.api.meta.Extensible}. Integers that do not fit an int/long fail loudly.
 */
public final class Json {
  private Json() {}

  public static final ObjectMapper MAPPER = configure(new ObjectMapper());

  public static final ObjectMapper YAML = configure(new ObjectMapper(
      YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .build()));

  private static ObjectMapper configure(ObjectMapper m) {
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    m.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    return m;
  }

  public static byte[] toBytes(Object o) {
    try {
      return MAPPER.writeValueAsBytes(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toJson(Object o) {
    try {
      return MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String toYaml(Object o) {
    try {
      return YAML.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(byte[] json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T readYaml(String yaml, Class<T> type) {
    try {
      return YAML.readValue(yaml, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Converts between a tree and a typed object (or between two typed views of one object). */
  public static <T> T convert(Object from, Class<T> type) {
    return MAPPER.convertValue(from, type);
  }

  public static JsonNode tree(Object o) {
    return MAPPER.valueToTree(o);
  }
}
