package io.rustless.host;

import io.rustless.host.engine.Export;
import io.rustless.host.state.StreamState;
import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.TrailerAction;
import io.rustless.sdk.host.BufferType;
import io.rustless.sdk.host.HeaderMap;
import io.rustless.sdk.host.MapType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One HTTP stream through a {@link Vm}: the events a proxy delivers to the plugin, in order, and
 * what the plugin did with them. Streams of one VM can be driven from different threads at once;
 * each event waits for the VM to be free. Closing the stream ends it as the proxy does (done, log,
 * delete); what the plugin did stays readable.
 */
public final class HttpStream implements AutoCloseable {
  private final Vm vm;
  private final StreamState state;

  HttpStream(Vm vm, StreamState state) {
    this.vm = vm;
    this.state = state;
  }

  /** The stream's context id. */
  public int contextId() {
    return state.contextId();
  }

  /** The VM the stream goes through. */
  public Vm vm() {
    return vm;
  }

  // ---- events -------------------------------------------------------------------------------

  /** Request headers arrive ({@code endOfStream}: a request without a body). */
  public HeaderAction requestHeaders(HeaderMap headers, boolean endOfStream) {
    return header(
        headers(MapType.HTTP_REQUEST_HEADERS, Export.REQUEST_HEADERS, headers, endOfStream));
  }

  /** A request body chunk arrives. */
  public DataAction requestBody(byte[] chunk, boolean endOfStream) {
    return data(body(BufferType.HTTP_REQUEST_BODY, Export.REQUEST_BODY, chunk, endOfStream));
  }

  /** Request trailers arrive. */
  public TrailerAction requestTrailers(HeaderMap trailers) {
    return trailer(headers(MapType.HTTP_REQUEST_TRAILERS, Export.REQUEST_TRAILERS, trailers, true));
  }

  /** Response headers arrive. */
  public HeaderAction responseHeaders(HeaderMap headers, boolean endOfStream) {
    return header(
        headers(MapType.HTTP_RESPONSE_HEADERS, Export.RESPONSE_HEADERS, headers, endOfStream));
  }

  /** A response body chunk arrives. */
  public DataAction responseBody(byte[] chunk, boolean endOfStream) {
    return data(body(BufferType.HTTP_RESPONSE_BODY, Export.RESPONSE_BODY, chunk, endOfStream));
  }

  /** Response trailers arrive. */
  public TrailerAction responseTrailers(HeaderMap trailers) {
    return trailer(
        headers(MapType.HTTP_RESPONSE_TRAILERS, Export.RESPONSE_TRAILERS, trailers, true));
  }

  private int headers(MapType type, Export export, HeaderMap map, boolean endOfStream) {
    boolean trailers = export == Export.REQUEST_TRAILERS || export == Export.RESPONSE_TRAILERS;
    return vm.run(
        () -> {
          state.receive(type, map);
          int id = state.contextId();
          return trailers
              ? vm.call(id, export, id, map.size())
              : vm.call(id, export, id, map.size(), endOfStream ? 1 : 0);
        });
  }

  private int body(BufferType type, Export export, byte[] chunk, boolean endOfStream) {
    return vm.run(
        () -> {
          int size = state.receive(type, chunk);
          int id = state.contextId();
          int code = vm.call(id, export, id, size, endOfStream ? 1 : 0);
          state.bodyAction(type, code);
          return code;
        });
  }

  /** Sets a property only this stream sees, e.g. its {@code route_name} (null removes it). */
  public void setProperty(List<String> path, byte[] value) {
    vm.locked(
        () -> {
          state.setProperty(path, value);
          return null;
        });
  }

  /** A property as the plugin sees it on this stream (its own, else the VM's). */
  public Optional<byte[]> getProperty(List<String> path) {
    return Optional.ofNullable(vm.locked(() -> vm.state().property(state, path)));
  }

  /** Ends the stream as the proxy does: done, log, delete. */
  @Override
  public void close() {
    vm.complete(this);
  }

  // ---- what the plugin did ------------------------------------------------------------------

  /** The local reply the plugin sent on this stream. */
  public Optional<LocalReply> getLocalReply() {
    return Optional.ofNullable(vm.locked(state::localReply));
  }

  /** Request headers as the plugin left them. */
  public HeaderMap getRequestHeaders() {
    return vm.locked(state::requestHeaders);
  }

  public HeaderMap getRequestTrailers() {
    return vm.locked(state::requestTrailers);
  }

  /** Response headers as the plugin left them. */
  public HeaderMap getResponseHeaders() {
    return vm.locked(state::responseHeaders);
  }

  public HeaderMap getResponseTrailers() {
    return vm.locked(state::responseTrailers);
  }

  /** The request body buffer as the plugin last left it. */
  public byte[] getRequestBody() {
    return vm.locked(state::requestBody);
  }

  /** The response body buffer as the plugin last left it. */
  public byte[] getResponseBody() {
    return vm.locked(state::responseBody);
  }

  /** Everything the plugin passed upstream as request body so far. */
  public byte[] getForwardedRequestBody() {
    return vm.locked(state::forwardedRequestBody);
  }

  /** Everything the plugin passed to the client as response body so far. */
  public byte[] getForwardedResponseBody() {
    return vm.locked(state::forwardedResponseBody);
  }

  /** How often the plugin resumed the request ({@code proxy_continue_stream}). */
  public int getRequestResumes() {
    return vm.locked(state::requestResumes);
  }

  /** How often the plugin resumed the response. */
  public int getResponseResumes() {
    return vm.locked(state::responseResumes);
  }

  /** True if the plugin reset the request ({@code proxy_close_stream}). */
  public boolean isRequestClosed() {
    return vm.locked(state::requestClosed);
  }

  /** True if the plugin reset the response. */
  public boolean isResponseClosed() {
    return vm.locked(state::responseClosed);
  }

  /** The pending HTTP calls the plugin dispatched while this stream was effective. */
  public List<HttpCall> getHttpCalls() {
    List<HttpCall> out = new ArrayList<>();
    for (HttpCall c : vm.httpCalls()) {
      if (c.contextId() == contextId()) {
        out.add(c);
      }
    }
    return out;
  }

  private static HeaderAction header(int code) {
    for (HeaderAction a : HeaderAction.values()) {
      if (a.code() == code) {
        return a;
      }
    }
    throw new IllegalStateException("the plugin returned an unknown header action code " + code);
  }

  private static DataAction data(int code) {
    for (DataAction a : DataAction.values()) {
      if (a.code() == code) {
        return a;
      }
    }
    throw new IllegalStateException("the plugin returned an unknown data action code " + code);
  }

  private static TrailerAction trailer(int code) {
    for (TrailerAction a : TrailerAction.values()) {
      if (a.code() == code) {
        return a;
      }
    }
    throw new IllegalStateException("the plugin returned an unknown trailer action code " + code);
  }
}
