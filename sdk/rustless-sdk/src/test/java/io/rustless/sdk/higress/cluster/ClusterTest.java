package io.rustless.sdk.higress.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cluster names and hosts, as Higress's Rust and Go SDKs build them. */
class ClusterTest {

  static Stream<Arguments> clusters() {
    return Stream.of(
        Arguments.of(
            new K8sCluster("foo", "bar", 8080, "v1", ""),
            "outbound|8080|v1|foo.bar.svc.cluster.local",
            "foo.bar.svc.cluster.local"),
        Arguments.of(
            new K8sCluster("foo", "", 80, "", ""),
            "outbound|80||foo.default.svc.cluster.local",
            "foo..svc.cluster.local"),
        Arguments.of(
            new K8sCluster("foo", "bar", 80, "", "api.example.com"),
            "outbound|80||foo.bar.svc.cluster.local",
            "api.example.com"),
        Arguments.of(
            new NacosCluster("svc", "my_group", "ns1", 8848, false, "", ""),
            "outbound|8848||svc.my-group.ns1.nacos",
            "svc"),
        Arguments.of(
            new NacosCluster("svc", "", "ns1", 80, true, "v2", "h.com"),
            "outbound|80|v2|svc.DEFAULT-GROUP.ns1.nacos-ext",
            "h.com"),
        Arguments.of(new StaticIpCluster("ips", 80, ""), "outbound|80||ips.static", "ips"),
        Arguments.of(new StaticIpCluster("ips", 80, "x.com"), "outbound|80||ips.static", "x.com"),
        Arguments.of(
            new DnsCluster("httpbin", "httpbin.org", 80),
            "outbound|80||httpbin.dns",
            "httpbin.org"),
        Arguments.of(
            new ConsulCluster("svc", "dc1", 8500, ""), "outbound|8500||svc.dc1.consul", "svc"),
        Arguments.of(new FqdnCluster("qwen.dns", "", 443), "outbound|443||qwen.dns", "qwen.dns"),
        Arguments.of(
            new FqdnCluster("qwen.dns", "dashscope.aliyuncs.com", 443),
            "outbound|443||qwen.dns",
            "dashscope.aliyuncs.com"));
  }

  @ParameterizedTest
  @MethodSource("clusters")
  void namesAndHostsMatchTheAnchor(Cluster cluster, String name, String host) {
    assertThat(cluster.clusterName()).isEqualTo(name);
    assertThat(cluster.hostName()).isEqualTo(host);
  }
}
