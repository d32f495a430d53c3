package io.rustless.testing.emulator;

import io.rustless.sdk.internal.CurrentHost;
import io.rustless.sdk.internal.Dispatcher;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JVM mode: the plugin's classes in this JVM, the SDK's dispatcher called directly, host calls
 * answered by an {@link EmulatedHost}. The dispatcher is static (as in the module), so one JVM-mode
 * plugin can be open at a time.
 */
public final class JvmVm implements PluginVm {
  private static final AtomicBoolean OPEN = new AtomicBoolean();

  private final List<String> errors = new ArrayList<>();
  private boolean closed;

  public JvmVm(Class<?> pluginClass, ProxyState state) {
    if (!OPEN.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "a JVM-mode TestHost is already open: close it first (the SDK dispatcher is static)");
    }
    try {
      Dispatcher.reset();
      CurrentHost.install(new EmulatedHost(state));
      Dispatcher.setErrorListener(
          (callback, contextId, error) -> {
            errors.add(callback + " (context " + contextId + "): " + error);
            error.printStackTrace(System.err);
          });
      Method main = pluginClass.getMethod("main", String[].class);
      main.invoke(null, (Object) new String[0]);
    } catch (InvocationTargetException e) {
      close();
      throw new IllegalStateException(
          pluginClass.getName() + ".main failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      close();
      throw new IllegalStateException(
          pluginClass.getName() + " has no public static void main(String[])", e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public void onContextCreate(int contextId, int parentId) {
    Dispatcher.onContextCreate(contextId, parentId);
  }

  @Override
  public int onVmStart(int rootId, int vmConfigurationSize) {
    return Dispatcher.onVmStart(rootId, vmConfigurationSize);
  }

  @Override
  public int onConfigure(int rootId, int pluginConfigurationSize) {
    return Dispatcher.onConfigure(rootId, pluginConfigurationSize);
  }

  @Override
  public void onTick(int rootId) {
    Dispatcher.onTick(rootId);
  }

  @Override
  public int onRequestHeaders(int contextId, int numHeaders, boolean endOfStream) {
    return Dispatcher.onRequestHeaders(contextId, numHeaders, endOfStream);
  }

  @Override
  public int onRequestBody(int contextId, int bodySize, boolean endOfStream) {
    return Dispatcher.onRequestBody(contextId, bodySize, endOfStream);
  }

  @Override
  public int onRequestTrailers(int contextId, int numTrailers) {
    return Dispatcher.onRequestTrailers(contextId, numTrailers);
  }

  @Override
  public int onResponseHeaders(int contextId, int numHeaders, boolean endOfStream) {
    return Dispatcher.onResponseHeaders(contextId, numHeaders, endOfStream);
  }

  @Override
  public int onResponseBody(int contextId, int bodySize, boolean endOfStream) {
    return Dispatcher.onResponseBody(contextId, bodySize, endOfStream);
  }

  @Override
  public int onResponseTrailers(int contextId, int numTrailers) {
    return Dispatcher.onResponseTrailers(contextId, numTrailers);
  }

  @Override
  public void onQueueReady(int rootId, int queueId) {
    Dispatcher.onQueueReady(rootId, queueId);
  }

  @Override
  public void onForeignFunction(int rootId, int functionId, int dataSize) {
    Dispatcher.onForeignFunction(rootId, functionId, dataSize);
  }

  @Override
  public void onHttpCallResponse(
      int contextId, int token, int numHeaders, int bodySize, int numTrailers) {
    Dispatcher.onHttpCallResponse(contextId, token, numHeaders, bodySize, numTrailers);
  }

  @Override
  public void onGrpcReceiveInitialMetadata(int contextId, int token, int numHeaders) {
    Dispatcher.onGrpcReceiveInitialMetadata(contextId, token, numHeaders);
  }

  @Override
  public void onGrpcReceive(int contextId, int token, int messageSize) {
    Dispatcher.onGrpcReceive(contextId, token, messageSize);
  }

  @Override
  public void onGrpcReceiveTrailingMetadata(int contextId, int token, int numTrailers) {
    Dispatcher.onGrpcReceiveTrailingMetadata(contextId, token, numTrailers);
  }

  @Override
  public void onGrpcClose(int contextId, int token, int statusCode) {
    Dispatcher.onGrpcClose(contextId, token, statusCode);
  }

  @Override
  public void onRedisCallResponse(int contextId, int token, int status, int responseSize) {
    Dispatcher.onRedisCallResponse(contextId, token, status, responseSize);
  }

  @Override
  public int onDone(int contextId) {
    return Dispatcher.onDone(contextId);
  }

  @Override
  public void onLog(int contextId) {
    Dispatcher.onLog(contextId);
  }

  @Override
  public void onDelete(int contextId) {
    Dispatcher.onDelete(contextId);
  }

  /** Contexts the dispatcher still holds (leak check). */
  public int liveContexts() {
    return Dispatcher.liveContexts();
  }

  @Override
  public List<String> pluginErrors() {
    return List.copyOf(errors);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Dispatcher.reset();
    CurrentHost.install(null);
    OPEN.set(false);
  }
}
