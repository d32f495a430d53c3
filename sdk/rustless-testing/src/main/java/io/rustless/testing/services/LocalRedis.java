package io.rustless.testing.services;

import io.rustless.host.upstream.RespReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real {@code redis-server} (Debian package) on a free 127.0.0.1 port, without persistence,
 * optionally with a password. Stop it with {@link #close()}.
 */
public final class LocalRedis extends LocalService {
  private final String password;

  private LocalRedis(List<String> command, Path dir, int port, String password) {
    super("redis-server", command, dir, port);
    this.password = password;
  }

  /** Starts a server without a password. */
  public static LocalRedis start() {
    return start("");
  }

  /** Starts a server requiring {@code password} (none if empty). */
  public static LocalRedis start(String password) {
    Path program = DebianPackages.require("redis-server", "/usr/bin/redis-server");
    int port = freePort();
    Path dir;
    try {
      dir = Files.createTempDirectory("rustless-redis-");
    } catch (IOException e) {
      throw new AssertionError("no temp dir: " + e.getMessage(), e);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(program.toString());
    cmd.add("--port");
    cmd.add(Integer.toString(port));
    cmd.add("--bind");
    cmd.add("127.0.0.1");
    cmd.add("--save");
    cmd.add("");
    cmd.add("--appendonly");
    cmd.add("no");
    cmd.add("--dir");
    cmd.add(dir.toString());
    cmd.add("--daemonize");
    cmd.add("no");
    if (!password.isEmpty()) {
      cmd.add("--requirepass");
      cmd.add(password);
    }
    return new LocalRedis(cmd, dir, port, password);
  }

  /** Runs one command (authenticating first if needed) and returns the raw RESP reply as text. */
  public String command(String... args) {
    return command(0, args);
  }

  /** Runs one command in database {@code db}. */
  public String command(int db, String... args) {
    try (Socket s = new Socket("127.0.0.1", port())) {
      s.setSoTimeout(5000);
      if (!password.isEmpty()) {
        send(s, "AUTH", password);
      }
      if (db != 0) {
        send(s, "SELECT", Integer.toString(db));
      }
      return send(s, args);
    } catch (IOException e) {
      throw new AssertionError("redis command failed: " + e.getMessage() + "\n" + logText(), e);
    }
  }

  private static String send(Socket s, String... args) throws IOException {
    StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
    for (String a : args) {
      sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
      sb.append(a).append("\r\n");
    }
    OutputStream out = s.getOutputStream();
    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    return new String(RespReader.readRaw(s.getInputStream()), StandardCharsets.UTF_8);
  }
}
