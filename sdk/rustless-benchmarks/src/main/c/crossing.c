/*
 * The cost of one crossing between a module and its host, without any proxy-wasm work:
 * calls(n) calls the host function env.echo n times (Wasm -> host -> Wasm), and sum(n) only adds
 * up numbers in the module, for the baseline.
 */
#include <stdint.h>

__attribute__((import_module("env"), import_name("echo"))) int32_t echo(int32_t a, int32_t b);

__attribute__((export_name("calls"))) int32_t calls(int32_t n) {
  int32_t acc = 0;
  for (int32_t i = 0; i < n; i++) acc += echo(i, acc);
  return acc;
}

__attribute__((export_name("nothing"))) int32_t nothing(int32_t a) { return a; }
