package io.rustless.cli.oci;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import land.oras.exception.OrasException;

/** Turns what ORAS and the JDK throw into one line that says what to do. */
final class RegistryErrors {
  private RegistryErrors() {}

  static RegistryException translate(
      RuntimeException e, ImageReference image, RegistryAccess access, String auth, String doing) {
    String where = "registry " + image.registry();
    Throwable network = networkCause(e);
    if (network != null) {
      String what = describeNetwork(network);
      String hint = "";
      if (network instanceof SSLException && !access.plainHttp()) {
        hint = " (if it speaks plain HTTP, add --plain-http)";
      } else if (access.plainHttp()
          && e.getMessage() != null
          && e.getMessage().contains("HTTP/1.1 header parser")) {
        hint = " (it may need HTTPS: drop --plain-http)";
      }
      return new RegistryException(
          RegistryException.Reason.UNREACHABLE,
          "cannot reach "
              + where
              + " ("
              + scheme(access)
              + "://"
              + image.registry()
              + ") while "
              + doing
              + ": "
              + what
              + hint,
          e);
    }
    Integer status = e instanceof OrasException oe ? oe.getStatusCode() : null;
    String detail =
        e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
    if (status != null && status == 401) {
      String fix =
          auth.startsWith("anonymous")
              ? "it needs credentials: pass --username/--password or put them in a docker"
                  + " config.json (DOCKER_CONFIG)"
              : "it refused the credentials of " + auth + ": check the user name and password";
      return new RegistryException(
          RegistryException.Reason.UNAUTHORIZED,
          where + " answered 401 Unauthorized while " + doing + ": " + fix,
          e);
    }
    if (status != null && status == 403) {
      return new RegistryException(
          RegistryException.Reason.DENIED,
          where
              + " answered 403 Forbidden while "
              + doing
              + ": "
              + auth
              + " may not access "
              + image.repository(),
          e);
    }
    if (status != null && status == 404) {
      return new RegistryException(
          RegistryException.Reason.NOT_FOUND,
          image + " was not found in " + where + " (404 while " + doing + ")",
          e);
    }
    return new RegistryException(
        RegistryException.Reason.PROTOCOL,
        where
            + " failed while "
            + doing
            + (status == null ? "" : " (HTTP " + status + ")")
            + ": "
            + detail,
        e);
  }

  private static String scheme(RegistryAccess access) {
    return access.plainHttp() ? "http" : "https";
  }

  private static Throwable networkCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof UnresolvedAddressException
          || t instanceof HttpTimeoutException
          || t instanceof SSLException
          || t instanceof java.io.EOFException
          || t instanceof java.net.SocketException
          || (t instanceof java.io.IOException && !(t.getCause() instanceof java.io.IOException))) {
        return t;
      }
    }
    return null;
  }

  private static String describeNetwork(Throwable t) {
    if (t instanceof ConnectException) {
      return "connection refused";
    }
    if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
      return "unknown host";
    }
    if (t instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (t instanceof HttpTimeoutException) {
      return "timed out";
    }
    if (t instanceof SSLException) {
      return "TLS handshake failed (" + firstLine(String.valueOf(t.getMessage())) + ")";
    }
    return t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage()));
  }

  static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
