/**
 * The few JDK text helpers a plugin needs, without what they cost under TeaVM: UTF-8 without {@code
 * java.nio.charset} ({@link io.rustless.sdk.lang.Utf8}), ASCII case folding without Unicode tables
 * ({@link io.rustless.sdk.lang.Ascii}), decimal parsing ({@link io.rustless.sdk.lang.Decimal}),
 * string-list lookups ({@link io.rustless.sdk.lang.Strings}) and exception names ({@link
 * io.rustless.sdk.lang.Exceptions}). The lowest layer: it uses nothing else of the SDK.
 */
package io.rustless.sdk.lang;
