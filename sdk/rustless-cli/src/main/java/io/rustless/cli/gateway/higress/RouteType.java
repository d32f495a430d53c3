package io.rustless.cli.gateway.higress;

/** {@code spec.matchRules[].routeType}. */
public enum RouteType {
  HTTP,
  GRPC
}
