package io.rustless.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.rustless.host.fixture.CallingPlugin;
import io.rustless.host.jvm.JvmPluginModule;
import io.rustless.host.upstream.Upstreams;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.host.HeaderMap;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One VM, many streams at once, from many threads: Envoy's model, on the host library. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VmTest {
  private static HeaderMap get(String path) {
    return HeaderMap.of(":method", "GET", ":path", path, ":authority", "h");
  }

  @Test
  void threadsDriveStreamsOfOneVmEachWithItsOwnContext() throws Exception {
    try (Vm vm = ProxyHost.create().vm(JvmPluginModule.of(CallingPlugin.class)).start()) {
      assertThat(vm.startStatus()).isEqualTo(StartStatus.OK);
      ExecutorService threads = Executors.newFixedThreadPool(8);
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        done.add(
            threads.submit(
                () -> {
                  for (int i = 0; i < 200; i++) {
                    try (HttpStream s = vm.newStream()) {
                      assertThat(s.requestHeaders(get("/plain"), true))
                          .isEqualTo(HeaderAction.CONTINUE);
                      assertThat(s.getRequestHeaders().get("x-context"))
                          .contains(Integer.toString(s.contextId()));
                    }
                  }
                  return 200;
                }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(200);
      }
      threads.shutdown();
      assertThat(vm.openStreams()).isZero();
      assertThat(vm.liveContexts()).as("only the root context is left").isEqualTo(1);
    }
  }

  /**
   * A stream whose call out is under way leaves the VM to the others: the upstream answers the call
   * only once another stream of the same VM has gone through.
   */
  @Test
  void aStreamWaitingOnACallOutLeavesTheVmToOtherStreams() throws Exception {
    CountDownLatch callArrived = new CountDownLatch(1);
    CountDownLatch otherDone = new CountDownLatch(1);
    HttpServer up = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    up.setExecutor(Executors.newCachedThreadPool());
    up.createContext(
        "/slow",
        ex -> {
          callArrived.countDown();
          boolean released;
          try {
            released = otherDone.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            released = false;
          }
          ex.sendResponseHeaders(released ? 200 : 504, -1);
          ex.close();
        });
    up.start();
    Upstreams upstreams =
        Upstreams.builder()
            .http("up.dns", URI.create("http://127.0.0.1:" + up.getAddress().getPort()))
            .build();
    ExecutorService caller = Executors.newSingleThreadExecutor();
    try (Vm vm =
        ProxyHost.create()
            .vm(JvmPluginModule.of(CallingPlugin.class))
            .upstreams(upstreams)
            .start()) {
      HttpStream waiting = vm.newStream();
      Future<HeaderAction> first = caller.submit(() -> waiting.requestHeaders(get("/call"), true));
      assertThat(callArrived.await(10, TimeUnit.SECONDS)).isTrue();
      try (HttpStream other = vm.newStream()) {
        other.requestHeaders(get("/plain"), true);
        assertThat(other.getRequestHeaders().get("x-context")).isPresent();
      }
      otherDone.countDown();
      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(HeaderAction.STOP_ITERATION);
      assertThat(waiting.getRequestHeaders().get("x-answer")).contains("200");
      assertThat(waiting.getRequestResumes()).isEqualTo(1);
      assertThat(vm.httpCalls()).isEmpty();
      waiting.close();
    } finally {
      caller.shutdownNow();
      up.stop(0);
      upstreams.close();
    }
  }

  @Test
  void aCallOutWithoutAnUpstreamWaitsForItsAnswerAndGoesToItsStream() {
    try (Vm vm = ProxyHost.create().vm(JvmPluginModule.of(CallingPlugin.class)).start();
        HttpStream a = vm.newStream();
        HttpStream b = vm.newStream()) {
      a.requestHeaders(get("/call/a"), true);
      b.requestHeaders(get("/call/b"), true);
      assertThat(a.getHttpCalls()).hasSize(1);
      assertThat(b.getHttpCalls()).hasSize(1);
      int tokenB = b.getHttpCalls().get(0).token();
      vm.answerHttpCall(tokenB, HeaderMap.of(":status", "201"), new byte[0], HeaderMap.empty());
      assertThat(b.getRequestHeaders().get("x-answer")).contains("201");
      assertThat(a.getRequestHeaders().get("x-answer")).isEmpty();
      assertThat(a.getRequestResumes()).isZero();
      assertThat(vm.httpCalls()).hasSize(1);
    }
  }
}
