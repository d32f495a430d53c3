package io.rustless.sdk.higress;

import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.host.LogLevel;
import io.rustless.sdk.lang.Exceptions;

/**
 * A plugin's logger: every line is {@code "[<plugin>] <message>"}, sent with {@code proxy_log}.
 *
 * <p>Plain methods always hand the line to the host, which filters by level. The {@code …f} methods
 * format lazily: they ask the host's level first and build nothing when the line would be dropped.
 * Placeholders are {@code {}}, filled in order; a trailing {@link Throwable} without a placeholder
 * is appended (this avoids {@code String.format}, which would add ~150 KB to the module).
 *
 * <p>A placeholder shows strings and other {@code CharSequence}s, numbers, booleans, characters,
 * enums (their name), throwables ({@code Class: message}) and anything that implements {@link
 * Loggable}; {@code null} shows as {@code null}. Any other object shows as its class name. Calling
 * {@code toString()} on arbitrary arguments would keep the {@code toString} of every class the
 * plugin uses in the module (TeaVM's type analysis cannot tell which objects reach a log call): ~10
 * KB for a small plugin. Implement {@code Loggable}, or pass {@code x.toString()} yourself, to log
 * your own types.
 */
public final class Log {
  private final String prefix;
  private final String name;

  private Log(String name) {
    this.name = name;
    this.prefix = "[" + name + "] ";
  }

  /** A logger for plugin {@code name}. */
  public static Log of(String name) {
    return new Log(name);
  }

  /** The plugin name in the prefix. */
  public String name() {
    return name;
  }

  /** True if the host currently keeps lines at {@code level}. */
  public boolean isEnabled(LogLevel level) {
    return level.code() >= PluginRuntime.host().getLogLevel().code();
  }

  /** Logs {@code message} at {@code level}. */
  public void log(LogLevel level, String message) {
    PluginRuntime.host().log(level, prefix + message);
  }

  /** Formats and logs, but only if {@code level} is enabled. */
  public void logf(LogLevel level, String pattern, Object... args) {
    if (isEnabled(level)) {
      PluginRuntime.host().log(level, prefix + format(pattern, args));
    }
  }

  public void trace(String message) {
    log(LogLevel.TRACE, message);
  }

  public void debug(String message) {
    log(LogLevel.DEBUG, message);
  }

  public void info(String message) {
    log(LogLevel.INFO, message);
  }

  public void warn(String message) {
    log(LogLevel.WARN, message);
  }

  public void error(String message) {
    log(LogLevel.ERROR, message);
  }

  public void critical(String message) {
    log(LogLevel.CRITICAL, message);
  }

  public void tracef(String pattern, Object... args) {
    logf(LogLevel.TRACE, pattern, args);
  }

  public void debugf(String pattern, Object... args) {
    logf(LogLevel.DEBUG, pattern, args);
  }

  public void infof(String pattern, Object... args) {
    logf(LogLevel.INFO, pattern, args);
  }

  public void warnf(String pattern, Object... args) {
    logf(LogLevel.WARN, pattern, args);
  }

  public void errorf(String pattern, Object... args) {
    logf(LogLevel.ERROR, pattern, args);
  }

  public void criticalf(String pattern, Object... args) {
    logf(LogLevel.CRITICAL, pattern, args);
  }

  /** Fills {@code {}} placeholders in order; see the class comment. */
  public static String format(String pattern, Object... args) {
    StringBuilder sb = new StringBuilder(pattern.length() + 16 * args.length);
    int arg = 0;
    int i = 0;
    int len = pattern.length();
    while (i < len) {
      char c = pattern.charAt(i);
      if (c == '{' && i + 1 < len && pattern.charAt(i + 1) == '}' && arg < args.length) {
        sb.append(text(args[arg++]));
        i += 2;
      } else {
        sb.append(c);
        i++;
      }
    }
    if (arg < args.length && args[args.length - 1] instanceof Throwable) {
      sb.append(": ").append(text(args[args.length - 1]));
    }
    return sb.toString();
  }

  /** What a placeholder shows; every call below is on a cast value, see the class comment. */
  private static String text(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof CharSequence) {
      return ((CharSequence) v).toString();
    }
    if (v instanceof Number) {
      return ((Number) v).toString();
    }
    if (v instanceof Boolean) {
      return ((Boolean) v).toString();
    }
    if (v instanceof Character) {
      return ((Character) v).toString();
    }
    if (v instanceof Enum) {
      return ((Enum<?>) v).name();
    }
    if (v instanceof Loggable) {
      return ((Loggable) v).toLogString();
    }
    if (v instanceof Throwable) {
      return Exceptions.describe((Throwable) v);
    }
    return v.getClass().getName();
  }
}
