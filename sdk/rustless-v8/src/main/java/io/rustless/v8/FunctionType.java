package io.rustless.v8;

import java.util.List;

/**
 * A function's parameter and result types (Wasm 1.0: at most one result). Values cross as {@code
 * long}s: an i32 in the low 32 bits, an f32 or f64 as its raw bits (as in Chicory).
 */
public record FunctionType(List<ValType> params, List<ValType> results) {
  public FunctionType {
    params = List.copyOf(params);
    results = List.copyOf(results);
    if (results.size() > 1) {
      throw new IllegalArgumentException("at most one result: " + results);
    }
  }

  /** A function of i32 parameters returning one i32 (what most proxy-wasm functions are). */
  public static FunctionType i32(int params) {
    return new FunctionType(
        java.util.Collections.nCopies(params, ValType.I32), List.of(ValType.I32));
  }

  /** The same parameters, no result. */
  public FunctionType withoutResult() {
    return new FunctionType(params, List.of());
  }

  String paramCodes() {
    StringBuilder sb = new StringBuilder(params.size());
    for (ValType t : params) {
      sb.append(t.code());
    }
    return sb.toString();
  }

  String resultCode() {
    return results.isEmpty() ? "" : String.valueOf(results.get(0).code());
  }

  @Override
  public String toString() {
    return "(" + paramCodes() + ")->(" + resultCode() + ")";
  }
}
