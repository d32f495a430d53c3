package io.rustless.operator.customresource;

/**
 * Schema stand-in for plugin configs: with {@code @PreserveUnknownFields} it makes the CRD say
 * {@code type: object} and keep every field. A plain {@code Map<String, Object>} would generate
 * {@code additionalProperties: {type: object}} and reject string or number values.
 */
final class FreeFormObject {
  private FreeFormObject() {}
}
