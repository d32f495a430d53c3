package io.rustless.v8;

/**
 * A function the module imports, implemented in Java. It runs on the thread that called into the
 * module, while the module waits; it may call the instance's exports (e.g. an allocator) and read
 * or write its memory. An exception it throws unwinds the module and comes out of the export call
 * that led to it, unchanged.
 */
@FunctionalInterface
public interface HostFunction {
  /** Arguments and result as in {@link FunctionType}; the result is ignored for a void function. */
  long apply(V8Instance instance, long[] args);
}
