package io.rustless.operator.customresource;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code WasmPlugin.spec.imagePullPolicy}, spelled as Higress spells it. */
public enum PullPolicy {
  UNSPECIFIED_POLICY,
  @JsonProperty("IfNotPresent")
  IF_NOT_PRESENT,
  @JsonProperty("Always")
  ALWAYS
}
