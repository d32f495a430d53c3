package io.rustless.sdk.higress.wrapper;

import io.rustless.sdk.host.HeaderMap;

/**
 * Receives the answer to {@link RequestContext#httpCall}: status as Higress's SDKs read it ({@code
 * :status}; 502 if the call got no answer, 500 if the status is not a number), headers and body.
 * The request's context is effective again; resume the request when done.
 */
@FunctionalInterface
public interface HttpCallCallback {
  void onResponse(int statusCode, HeaderMap headers, byte[] body);
}
