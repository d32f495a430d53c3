package io.rustless.operator.helm;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A fabric8 mock API server (CRUD mode) that real Helm, through helm-java, can install into and
 * uninstall from. Helm needs what a cluster has and the mock does not: API discovery for the kinds
 * the chart holds, {@code /version}, JSON where client-go asked for protobuf (its release Secrets),
 * and {@code SecretList} as the list kind. This class adds exactly those.
 */
final class HelmCluster implements AutoCloseable {

  /** A kind the chart or the test uses: discovery must list it. */
  record Kind(String group, String version, String kind, String plural, boolean namespaced) {
    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  static final List<Kind> KINDS =
      List.of(
          new Kind("", "v1", "ServiceAccount", "serviceaccounts", true),
          new Kind("", "v1", "Service", "services", true),
          new Kind("", "v1", "Secret", "secrets", true),
          new Kind("", "v1", "ConfigMap", "configmaps", true),
          new Kind("", "v1", "Namespace", "namespaces", false),
          new Kind("apps", "v1", "Deployment", "deployments", true),
          new Kind("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false),
          new Kind(
              "rbac.authorization.k8s.io",
              "v1",
              "ClusterRoleBinding",
              "clusterrolebindings",
              false),
          new Kind("rbac.authorization.k8s.io", "v1", "Role", "roles", true),
          new Kind("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true),
          new Kind(
              "apiextensions.k8s.io",
              "v1",
              "CustomResourceDefinition",
              "customresourcedefinitions",
              false),
          new Kind("rustless.io", "v1alpha1", "RustlessPolicy", "rustlesspolicies", false),
          new Kind(
              "rustless.io",
              "v1alpha1",
              "RustlessWasmPluginSource",
              "rustlesswasmpluginsources",
              true));

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  HelmCluster() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    var mixed = new KubernetesMixedDispatcher(responses);
    Dispatcher dispatcher =
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            byte[] body =
                Arrays.copyOf(request.getBody().getBytes(), (int) request.getBody().size());
            if (ProtobufSecret.isProtobuf(body)) {
              request =
                  new RecordedRequest(
                      request.getRequestLine(),
                      request.method(),
                      request.getPath(),
                      request.getHeaders(),
                      new Buffer(ProtobufSecret.toJson(body).getBytes(StandardCharsets.UTF_8)));
            }
            MockResponse response = mixed.dispatch(request);
            if (response.header("Content-Type") == null) {
              response.setHeader("Content-Type", "application/json");
            }
            if ("GET".equals(request.getMethod())
                && request.getPath().matches("/api/v1/namespaces/[^/]+/secrets(\\?.*)?")
                && response.getBody() != null) {
              String list =
                  new String(
                      Arrays.copyOf(response.getBody().getBytes(), (int) response.getBody().size()),
                      StandardCharsets.UTF_8);
              response.setBody(list.replaceFirst("\"kind\":\"List\"", "\"kind\":\"SecretList\""));
            }
            return response;
          }
        };
    server =
        new KubernetesMockServer(
            new Context(new com.fasterxml.jackson.databind.ObjectMapper()),
            new MockWebServer(),
            responses,
            dispatcher,
            false,
            new VersionInfo.Builder()
                .withMajor("1")
                .withMinor("30")
                .withGitVersion("v1.30.0")
                .build());
    server.init();
    client = server.createClient();
    discovery();
  }

  KubernetesClient client() {
    return client;
  }

  /** A kubeconfig for Helm pointing at this server. */
  String kubeconfig() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster: {server: "%s"}
          name: mock
        contexts:
        - context: {cluster: mock, user: test, namespace: default}
          name: mock
        current-context: mock
        users:
        - name: test
          user: {token: test}
        """
        .formatted(client.getMasterUrl());
  }

  private void serve(String path, String body) {
    // client-go asks discovery with ?timeout=32s.
    for (String p : List.of(path, path + "?timeout=32s")) {
      server.expect().get().withPath(p).andReturn(200, body).always();
    }
  }

  private void discovery() {
    serve("/version", "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\"v1.30.0\"}");
    serve(
        "/api",
        "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}");
    var groups = new TreeMap<String, TreeSet<String>>();
    KINDS.stream()
        .filter(k -> !k.group().isEmpty())
        .forEach(k -> groups.computeIfAbsent(k.group(), g -> new TreeSet<>()).add(k.version()));
    var groupList = new ArrayList<String>();
    groups.forEach(
        (group, versions) -> {
          String v = versions.first();
          String gv = "{\"groupVersion\":\"" + group + "/" + v + "\",\"version\":\"" + v + "\"}";
          groupList.add(
              "{\"name\":\""
                  + group
                  + "\",\"versions\":["
                  + gv
                  + "],\"preferredVersion\":"
                  + gv
                  + "}");
        });
    serve(
        "/apis",
        "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":["
            + String.join(",", groupList)
            + "]}");
    var byGroupVersion = new TreeMap<String, List<Kind>>();
    KINDS.forEach(
        k -> byGroupVersion.computeIfAbsent(k.groupVersion(), x -> new ArrayList<>()).add(k));
    byGroupVersion.forEach(
        (gv, kinds) -> {
          var resources = new ArrayList<String>();
          for (Kind k : kinds) {
            resources.add(
                "{\"name\":\""
                    + k.plural()
                    + "\",\"singularName\":\"\",\"namespaced\":"
                    + k.namespaced()
                    + ",\"kind\":\""
                    + k.kind()
                    + "\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}");
          }
          serve(
              (gv.contains("/") ? "/apis/" : "/api/") + gv,
              "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\""
                  + gv
                  + "\",\"resources\":["
                  + String.join(",", resources)
                  + "]}");
        });
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
