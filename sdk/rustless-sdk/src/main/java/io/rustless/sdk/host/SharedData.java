package io.rustless.sdk.host;

/**
 * A value in the VM-wide shared data store with its CAS token: pass the token back to {@link
 * Host#setSharedData} to write only if nobody wrote in between.
 */
public record SharedData(byte[] value, int cas) {
  public SharedData {
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }
}
