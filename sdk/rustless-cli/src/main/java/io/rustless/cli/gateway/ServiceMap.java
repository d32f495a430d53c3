package io.rustless.cli.gateway;

import io.rustless.cli.UsageException;
import io.rustless.cli.gateway.higress.Route;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an Ingress backend is on this machine ({@code --service NAME=URL}). NAME is the backend as
 * the cluster knows it, as precisely as wanted: {@code svc.ns.svc.cluster.local:port}, {@code
 * svc.ns:port}, {@code svc:port}, or any of these without the port; the most precise match wins.
 */
public final class ServiceMap {
  private final Map<String, URI> entries;

  private ServiceMap(Map<String, URI> entries) {
    this.entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
  }

  public static ServiceMap none() {
    return new ServiceMap(Map.of());
  }

  /** Parses {@code NAME=URL} entries; a {@link UsageException} naming the bad one. */
  public static ServiceMap parse(List<String> specs) {
    Map<String, URI> entries = new LinkedHashMap<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw new UsageException(
            "bad --service '"
                + spec
                + "': expected NAME=URL, e.g. backend.default.svc.cluster.local:80=http://127.0.0.1:8080");
      }
      String name = spec.substring(0, eq).strip().toLowerCase(java.util.Locale.ROOT);
      URI url = upstream(spec.substring(eq + 1).strip(), "--service '" + spec + "'");
      int colon = name.lastIndexOf(':');
      if (colon >= 0) {
        String port = name.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
          throw new UsageException("bad --service '" + spec + "': '" + port + "' is not a port");
        }
      }
      if (entries.put(name, url) != null) {
        throw new UsageException("--service " + name + " is given twice");
      }
    }
    return new ServiceMap(entries);
  }

  /** An {@code http://host:port} (or https) base URL; a {@link UsageException} if it is not one. */
  public static URI upstream(String text, String option) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("bad " + option + ": " + e.getMessage(), e);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new UsageException("bad " + option + ": expected http://host:port");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      throw new UsageException(
          "bad " + option + ": a path is not supported (requests keep their own path)");
    }
    return uri;
  }

  /** The local URL of {@code backend}, if one was given. */
  public Optional<URI> resolve(Route.Backend backend) {
    String fqdn = backend.fqdn();
    String shortName = backend.service() + "." + backend.namespace();
    for (String key :
        List.of(
            fqdn + ":" + backend.port(),
            fqdn,
            shortName + ":" + backend.port(),
            shortName,
            backend.service() + ":" + backend.port(),
            backend.service())) {
      URI u = entries.get(key);
      if (u != null) {
        return Optional.of(u);
      }
    }
    return Optional.empty();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** NAME=URL entries, for the start-up lines. */
  public Map<String, URI> entries() {
    return entries;
  }
}
