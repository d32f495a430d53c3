package io.rustless.sdk.higress;

/**
 * A value that knows how it looks in a {@link Log} placeholder. Implement it on your own types to
 * log them with {@code {}}; see {@link Log} for why {@code toString()} is not used.
 */
@FunctionalInterface
public interface Loggable {
  /** The text a {@code {}} placeholder shows for this value. */
  String toLogString();
}
