package io.rustless.host.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustless.host.state.SharedState;
import io.rustless.host.state.VmState;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.MapType;
import io.rustless.sdk.host.Status;
import io.rustless.wasm.ProxyWasmAbi;
import io.rustless.wasm.WasmModuleBinary.FuncType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostFunctionsTest {
  private final VmState state = new VmState(new SharedState());

  private static Map<String, FuncType> signatures(List<HostFunctions.Binding> bindings) {
    Map<String, FuncType> out = new LinkedHashMap<>();
    for (HostFunctions.Binding b : bindings) {
      out.put(b.name(), b.type());
    }
    return out;
  }

  private HostFunctions.Binding env(String name) {
    return HostFunctions.env(new ProxyWasmFunctions(state)).stream()
        .filter(b -> b.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theHostProvidesEveryAbiFunctionWithItsSignatureAndNothingElse() {
    assertThat(signatures(HostFunctions.env(new ProxyWasmFunctions(state))))
        .isEqualTo(ProxyWasmAbi.hostFunctions());
    assertThat(signatures(HostFunctions.wasi(new EnvoyWasi(state))))
        .isEqualTo(ProxyWasmAbi.envoyWasi());
  }

  @Test
  void theFunctionsRunOnAnyEnginesMemory() {
    state.newStream(2).receive(MapType.HTTP_REQUEST_HEADERS, HeaderMap.of("x-name", "héllo"));
    state.setEffectiveContext(2);
    ArrayMemory m = new ArrayMemory(4096, 2048);
    int keyLen = m.put(100, "X-Name");
    long status =
        env("proxy_get_header_map_value")
            .call(m, new long[] {MapType.HTTP_REQUEST_HEADERS.code(), 100, keyLen, 200, 204});
    assertThat(status).isEqualTo(Status.OK.code());
    byte[] value = m.read(m.i32(200), m.i32(204));
    assertThat(new String(value, StandardCharsets.UTF_8)).isEqualTo("héllo");
  }

  @Test
  void aBadPointerIsAStatusForProxyWasmAndATrapForWasi() {
    ArrayMemory m = new ArrayMemory(1024, 512);
    assertThat(env("proxy_log").call(m, new long[] {2, 1000, 100}))
        .isEqualTo(Status.INVALID_MEMORY_ACCESS.code());
    assertThat(env("proxy_log").call(m, new long[] {2, -8, 4}))
        .as("a pointer above 2 GiB is read as unsigned, not as negative")
        .isEqualTo(Status.INVALID_MEMORY_ACCESS.code());
    HostFunctions.Binding fdWrite =
        HostFunctions.wasi(new EnvoyWasi(state)).stream()
            .filter(b -> b.name().equals("fd_write"))
            .findFirst()
            .orElseThrow();
    assertThatThrownBy(() -> fdWrite.call(m, new long[] {1, 5000, 1, 0}))
        .isInstanceOf(GuestMemory.BadPointer.class)
        .hasMessageContaining("outside 1024 bytes");
  }

  @Test
  void anAllocatorThatRefusesIsInvalidMemoryAccess() {
    state.newStream(2).receive(MapType.HTTP_REQUEST_HEADERS, HeaderMap.of("a", "b"));
    state.setEffectiveContext(2);
    ArrayMemory full = new ArrayMemory(64, 64);
    assertThat(
            env("proxy_get_header_map_pairs")
                .call(full, new long[] {MapType.HTTP_REQUEST_HEADERS.code(), 0, 4}))
        .isEqualTo(Status.INVALID_MEMORY_ACCESS.code());
  }
}
