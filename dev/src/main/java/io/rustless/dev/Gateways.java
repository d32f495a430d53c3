package io.rustless.dev;

/** The gateway {@code rustless dev} starts: {@code rustless gateway}'s, following the API. */
final class Gateways {

  private Gateways() {}

  static DevGateway.Starter starter() {
    return settings -> {
      throw new DevException("this build has no gateway yet (rustless gateway, issue 13)");
    };
  }
}
