package io.rustless.build.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustless.wasm.ModuleAssembler;
import io.rustless.wasm.WasmModuleBinary;
import org.junit.jupiter.api.Test;

class ModuleCheckTest {
  private static final String[] GOOD_EXPORTS = {
    "memory", "_initialize", "proxy_on_memory_allocate", "proxy_abi_version_0_2_100"
  };

  private static ModuleCheck check(ModuleAssembler module) {
    return ModuleCheck.of(WasmModuleBinary.parse(module.build()));
  }

  @Test
  void acceptsProxyAndEnvoyWasiImports() {
    ModuleCheck c =
        check(
            new ModuleAssembler()
                .importFunction("env", "proxy_log", "iii:i")
                .importFunction("env", "proxy_redis_call", "iiiii:i")
                .importFunction("wasi_snapshot_preview1", "fd_write", "iiii:i")
                .importFunction("wasi_snapshot_preview1", "proc_exit", "i:")
                .export(GOOD_EXPORTS));
    assertThat(c.errors()).isEmpty();
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void saysWhichRuntimesLoadAModuleWithWasmExceptions() {
    byte[] plain = new ModuleAssembler().export(GOOD_EXPORTS).build();
    WasmModuleBinary module = WasmModuleBinary.parse(plain);
    assertThat(ModuleCheck.of(module).warnings()).isEmpty();

    // the same module with a tag section (one tag of type 0) appended
    WasmModuleBinary withTag =
        module.withSection(new WasmModuleBinary.Section(13, new byte[] {0x01, 0x00, 0x00}));
    ModuleCheck c = ModuleCheck.of(withTag);
    assertThat(c.errors()).isEmpty();
    assertThat(c.warnings()).singleElement().asString().contains("V8").contains("wasmtime");
  }

  @Test
  void rejectsImportsNoProxyProvides() {
    ModuleCheck c =
        check(
            new ModuleAssembler()
                .importFunction("teavm", "logString", "i:")
                .importFunction("env", "abort", "i:")
                .importFunction("wasi_snapshot_preview1", "path_open", "iiiiiIIii:i")
                .export(GOOD_EXPORTS));
    assertThat(c.ok()).isFalse();
    assertThat(c.errors())
        .containsExactly(
            "imports teavm.logString, which no proxy provides (only env.proxy_* and WASI)",
            "imports env.abort, which no proxy provides (only env.proxy_* and WASI)",
            "imports wasi_snapshot_preview1.path_open, which Envoy does not implement (it has"
                + " fd_write, clock_time_get, random_get, proc_exit, environ_get,"
                + " environ_sizes_get, args_get, args_sizes_get)");
  }

  @Test
  void rejectsWrongSignaturesAndWarnsOnUnknownProxyFunctions() {
    ModuleCheck c =
        check(
            new ModuleAssembler()
                .importFunction("env", "proxy_log", "ii:i")
                .importFunction("env", "proxy_something_new", "i:i")
                .export(GOOD_EXPORTS));
    assertThat(c.errors())
        .containsExactly(
            "imports env.proxy_log as (i32,i32)->i32 but the ABI has (i32,i32,i32)->i32");
    assertThat(c.warnings())
        .containsExactly(
            "imports env.proxy_something_new, which is not part of proxy-wasm 0.2.1 or Higress");
  }

  @Test
  void requiresTheProxyExports() {
    ModuleCheck c = check(new ModuleAssembler().export("_start"));
    assertThat(c.errors())
        .containsExactly(
            "does not export its memory",
            "exports neither proxy_on_memory_allocate nor malloc",
            "declares no proxy-wasm ABI version (proxy_abi_version_* export)");
    ModuleCheck two =
        check(
            new ModuleAssembler()
                .export(
                    "memory",
                    "malloc",
                    "_initialize",
                    "proxy_abi_version_0_2_1",
                    "proxy_abi_version_0_2_100"));
    assertThat(two.errors()).containsExactly("declares more than one proxy-wasm ABI version");
  }
}
