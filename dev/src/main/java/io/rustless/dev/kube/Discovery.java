package io.rustless.dev.kube;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDRBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API discovery as kubectl and fabric8 read it: {@code /api}, {@code /api/v1}, {@code /apis},
 * {@code /apis/<group>} and {@code /apis/<group>/<version>}, listing the built-in kinds the
 * operator uses and every CRD in the store (names, namespaced, verbs, short names, categories,
 * status subresources). The legacy (unaggregated) form: kubectl 1.27+ asks for aggregated discovery
 * first and falls back to it when the answer is plain JSON.
 */
final class Discovery {
  static final String SERVER_VERSION = "v1.30.0";

  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
  private static final List<String> STATUS_VERBS = List.of("get", "patch", "update");

  /** A resource kind served at {@code /api[s]/group/version}. */
  record Kind(
      String group,
      String version,
      String plural,
      String singular,
      String kind,
      boolean namespaced,
      List<String> shortNames,
      List<String> categories,
      boolean status) {
    String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  private static final List<Kind> BUILT_IN =
      List.of(
          new Kind(
              "",
              "v1",
              "namespaces",
              "namespace",
              "Namespace",
              false,
              List.of("ns"),
              List.of(),
              true),
          new Kind("", "v1", "secrets", "secret", "Secret", true, List.of(), List.of(), false),
          new Kind(
              "",
              "v1",
              "configmaps",
              "configmap",
              "ConfigMap",
              true,
              List.of("cm"),
              List.of(),
              false),
          new Kind("", "v1", "pods", "pod", "Pod", true, List.of("po"), List.of("all"), true),
          new Kind("", "v1", "events", "event", "Event", true, List.of("ev"), List.of(), false),
          new Kind(
              "",
              "v1",
              "services",
              "service",
              "Service",
              true,
              List.of("svc"),
              List.of("all"),
              true),
          new Kind(
              "",
              "v1",
              "serviceaccounts",
              "serviceaccount",
              "ServiceAccount",
              true,
              List.of("sa"),
              List.of(),
              false),
          new Kind("batch", "v1", "jobs", "job", "Job", true, List.of(), List.of("all"), true),
          new Kind(
              "networking.k8s.io",
              "v1",
              "ingresses",
              "ingress",
              "Ingress",
              true,
              List.of("ing"),
              List.of(),
              true),
          new Kind(
              "networking.k8s.io",
              "v1",
              "networkpolicies",
              "networkpolicy",
              "NetworkPolicy",
              true,
              List.of("netpol"),
              List.of(),
              false),
          new Kind(
              "coordination.k8s.io",
              "v1",
              "leases",
              "lease",
              "Lease",
              true,
              List.of(),
              List.of(),
              false),
          new Kind(
              "events.k8s.io",
              "v1",
              "events",
              "event",
              "Event",
              true,
              List.of("ev"),
              List.of(),
              false),
          new Kind(
              "apiextensions.k8s.io",
              "v1",
              "customresourcedefinitions",
              "customresourcedefinition",
              "CustomResourceDefinition",
              false,
              List.of("crd", "crds"),
              List.of("api-extensions"),
              true));

  private final KubeStore store;
  private volatile String serverAddress = "127.0.0.1:0";

  Discovery(KubeStore store) {
    this.store = store;
  }

  /** The {@code host:port} /api reports (known once the server listens). */
  void serverAddress(String address) {
    this.serverAddress = address;
  }

  /** Every kind served now: the built-in ones, then one per served version of each CRD. */
  List<Kind> kinds() {
    List<Kind> out = new ArrayList<>(BUILT_IN);
    for (CustomResourceDefinition crd : crds()) {
      var spec = crd.getSpec();
      var names = spec.getNames();
      for (CustomResourceDefinitionVersion v : spec.getVersions()) {
        if (!Boolean.TRUE.equals(v.getServed())) {
          continue;
        }
        out.add(
            new Kind(
                spec.getGroup(),
                v.getName(),
                names.getPlural(),
                Optional.ofNullable(names.getSingular()).orElse(names.getKind().toLowerCase()),
                names.getKind(),
                !"Cluster".equals(spec.getScope()),
                Optional.ofNullable(names.getShortNames()).orElse(List.of()),
                Optional.ofNullable(names.getCategories()).orElse(List.of()),
                v.getSubresources() != null && v.getSubresources().getStatus() != null));
      }
    }
    return out;
  }

  private List<CustomResourceDefinition> crds() {
    String list = store.current("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    if (list == null) {
      return List.of();
    }
    var parsed =
        Serialization.unmarshal(
            list,
            io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionList.class);
    return parsed.getItems() == null ? List.of() : parsed.getItems();
  }

  /** {@code /api}. */
  String coreVersions() {
    return Serialization.asJson(
        new APIVersionsBuilder()
            .withVersions("v1")
            .withServerAddressByClientCIDRs(
                new ServerAddressByClientCIDRBuilder()
                    .withClientCIDR("0.0.0.0/0")
                    .withServerAddress(serverAddress)
                    .build())
            .build());
  }

  /** {@code /apis}. */
  String groups() {
    return Serialization.asJson(new APIGroupListBuilder().withGroups(groupList()).build());
  }

  /** {@code /apis/<group>}, if the group is served. */
  Optional<String> group(String name) {
    return groupList().stream()
        .filter(g -> g.getName().equals(name))
        .findFirst()
        .map(Serialization::asJson);
  }

  private List<APIGroup> groupList() {
    Map<String, List<String>> versions = new LinkedHashMap<>();
    for (Kind k : kinds()) {
      if (!k.group().isEmpty()) {
        List<String> vs = versions.computeIfAbsent(k.group(), g -> new ArrayList<>());
        if (!vs.contains(k.version())) {
          vs.add(k.version());
        }
      }
    }
    List<APIGroup> groups = new ArrayList<>();
    versions.forEach(
        (group, vs) -> {
          List<GroupVersionForDiscovery> gv = new ArrayList<>();
          for (String v : vs) {
            gv.add(new GroupVersionForDiscovery(group + "/" + v, v));
          }
          groups.add(
              new APIGroupBuilder()
                  .withName(group)
                  .withVersions(gv)
                  .withPreferredVersion(gv.get(0))
                  .build());
        });
    return groups;
  }

  /** {@code /api/v1} or {@code /apis/<group>/<version>}, if served. */
  Optional<String> resources(String group, String version) {
    List<APIResource> resources = new ArrayList<>();
    for (Kind k : kinds()) {
      if (!k.group().equals(group) || !k.version().equals(version)) {
        continue;
      }
      resources.add(
          new APIResourceBuilder()
              .withName(k.plural())
              .withSingularName(k.singular())
              .withNamespaced(k.namespaced())
              .withKind(k.kind())
              .withVerbs(VERBS)
              .withShortNames(k.shortNames().isEmpty() ? null : k.shortNames())
              .withCategories(k.categories().isEmpty() ? null : k.categories())
              .build());
      if (k.status()) {
        resources.add(
            new APIResourceBuilder()
                .withName(k.plural() + "/status")
                .withSingularName("")
                .withNamespaced(k.namespaced())
                .withKind(k.kind())
                .withVerbs(STATUS_VERBS)
                .build());
      }
    }
    if (resources.isEmpty()) {
      return Optional.empty();
    }
    String gv = group.isEmpty() ? version : group + "/" + version;
    return Optional.of(
        Serialization.asJson(
            new APIResourceListBuilder().withGroupVersion(gv).withResources(resources).build()));
  }

  /** {@code /version}. */
  static String version() {
    return "{\"major\":\"1\",\"minor\":\"30\",\"gitVersion\":\""
        + SERVER_VERSION
        + "\",\"gitCommit\":\"rustless-dev\",\"gitTreeState\":\"clean\","
        + "\"buildDate\":\"2024-04-17T00:00:00Z\",\"goVersion\":\"go1.22.2\",\"compiler\":\"gc\","
        + "\"platform\":\"linux/amd64\"}";
  }

  /**
   * {@code /openapi/v2}: an empty document (swagger 2.0, no definitions). kubectl's client-side
   * validation fetches it (as protobuf) and skips kinds it does not describe; without it {@code
   * kubectl apply} refuses to run unless given {@code --validate=false}.
   */
  static byte[] openApiV2Protobuf() {
    byte[] title = "Kubernetes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] ver = SERVER_VERSION.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // gnostic openapi_v2.Document: 1 swagger (string), 2 info (Info: 1 title, 2 version)
    java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
    info.write(0x0a);
    info.write(title.length);
    info.writeBytes(title);
    info.write(0x12);
    info.write(ver.length);
    info.writeBytes(ver);
    java.io.ByteArrayOutputStream doc = new java.io.ByteArrayOutputStream();
    doc.write(0x0a);
    doc.write(3);
    doc.writeBytes("2.0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    doc.write(0x12);
    doc.write(info.size());
    doc.writeBytes(info.toByteArray());
    return doc.toByteArray();
  }

  static String openApiV2Json() {
    return "{\"swagger\":\"2.0\",\"info\":{\"title\":\"Kubernetes\",\"version\":\""
        + SERVER_VERSION
        + "\"},\"paths\":{},\"definitions\":{}}";
  }
}
