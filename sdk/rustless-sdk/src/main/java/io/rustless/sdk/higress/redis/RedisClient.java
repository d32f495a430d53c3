package io.rustless.sdk.higress.redis;

import io.rustless.sdk.api.PluginRuntime;
import io.rustless.sdk.higress.cluster.Cluster;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Redis through Higress's host extension ({@code proxy_redis_init}/{@code proxy_redis_call}): each
 * command is sent RESP-encoded and answered later in its callback, which runs with the calling
 * context effective again. A database other than 0 is selected with {@code ?db=N} on the cluster
 * name, as Higress expects. Call {@link #init()} (e.g. in {@code onConfigure}) before commands.
 * Plugins that do not use Redis do not import the Redis host functions.
 */
public final class RedisClient {
  private final String upstream;
  private final String username;
  private final String password;
  private final int timeoutMillis;

  private RedisClient(Builder b) {
    this.upstream = b.cluster.clusterName() + (b.database != 0 ? "?db=" + b.database : "");
    this.username = b.username;
    this.password = b.password;
    this.timeoutMillis = b.timeoutMillis;
  }

  /** A client for {@code cluster} with a per-command timeout. */
  public static Builder builder(Cluster cluster, int timeoutMillis) {
    return new Builder(cluster, timeoutMillis);
  }

  /** The upstream name the host sees, with {@code ?db=N} if a database is selected. */
  public String upstream() {
    return upstream;
  }

  /** Prepares the connection pool for this cluster in the host. */
  public void init() {
    PluginRuntime.host().initRedis(upstream, username, password, timeoutMillis);
  }

  /** Sends any command; returns its token. */
  public int command(RedisCallback callback, String... args) {
    List<byte[]> raw = new ArrayList<>(args.length);
    for (String a : args) {
      raw.add(Utf8.encode(a));
    }
    return commandBytes(callback, raw);
  }

  /** Sends any command with binary arguments; returns its token. */
  public int commandBytes(RedisCallback callback, List<byte[]> args) {
    int token = PluginRuntime.host().dispatchRedisCall(upstream, RespValue.encodeCommand(args));
    PluginRuntime.current()
        .trackRedisCall(
            token,
            (status, resp) -> {
              RedisResult result;
              if (status != 0) {
                result =
                    new RedisResult(token, status, null, "redis call failed with status " + status);
              } else if (resp.length == 0) {
                result = new RedisResult(token, status, null, "response data not found");
              } else {
                RedisResult parsed;
                try {
                  parsed = new RedisResult(token, status, RespValue.parse(resp), null);
                } catch (RespException e) {
                  parsed = new RedisResult(token, status, null, e.getMessage());
                }
                result = parsed;
              }
              callback.onResult(result);
            });
    return token;
  }

  // ---- keys ---------------------------------------------------------------------------------

  public int del(RedisCallback cb, String... keys) {
    return command(cb, prepend("DEL", keys));
  }

  public int exists(String key, RedisCallback cb) {
    return command(cb, "EXISTS", key);
  }

  public int expire(String key, int seconds, RedisCallback cb) {
    return command(cb, "EXPIRE", key, Integer.toString(seconds));
  }

  public int persist(String key, RedisCallback cb) {
    return command(cb, "PERSIST", key);
  }

  // ---- strings ------------------------------------------------------------------------------

  public int get(String key, RedisCallback cb) {
    return command(cb, "GET", key);
  }

  public int set(String key, String value, RedisCallback cb) {
    return command(cb, "SET", key, value);
  }

  public int setex(String key, String value, int seconds, RedisCallback cb) {
    return command(cb, "SETEX", key, Integer.toString(seconds), value);
  }

  public int mget(RedisCallback cb, String... keys) {
    return command(cb, prepend("MGET", keys));
  }

  /** MSET with keys and values in order. */
  public int mset(Map<String, String> pairs, RedisCallback cb) {
    List<String> args = new ArrayList<>();
    args.add("MSET");
    for (Map.Entry<String, String> e : pairs.entrySet()) {
      args.add(e.getKey());
      args.add(e.getValue());
    }
    return command(cb, args.toArray(new String[0]));
  }

  public int incr(String key, RedisCallback cb) {
    return command(cb, "INCR", key);
  }

  public int decr(String key, RedisCallback cb) {
    return command(cb, "DECR", key);
  }

  public int incrBy(String key, long delta, RedisCallback cb) {
    return command(cb, "INCRBY", key, Long.toString(delta));
  }

  public int decrBy(String key, long delta, RedisCallback cb) {
    return command(cb, "DECRBY", key, Long.toString(delta));
  }

  // ---- lists --------------------------------------------------------------------------------

  public int llen(String key, RedisCallback cb) {
    return command(cb, "LLEN", key);
  }

  public int rpush(String key, RedisCallback cb, String... values) {
    return command(cb, prepend("RPUSH", key, values));
  }

  public int rpop(String key, RedisCallback cb) {
    return command(cb, "RPOP", key);
  }

  public int lpush(String key, RedisCallback cb, String... values) {
    return command(cb, prepend("LPUSH", key, values));
  }

  public int lpop(String key, RedisCallback cb) {
    return command(cb, "LPOP", key);
  }

  public int lindex(String key, long index, RedisCallback cb) {
    return command(cb, "LINDEX", key, Long.toString(index));
  }

  public int lrange(String key, long start, long stop, RedisCallback cb) {
    return command(cb, "LRANGE", key, Long.toString(start), Long.toString(stop));
  }

  public int lrem(String key, long count, String value, RedisCallback cb) {
    return command(cb, "LREM", key, Long.toString(count), value);
  }

  public int linsertBefore(String key, String pivot, String value, RedisCallback cb) {
    return command(cb, "LINSERT", key, "BEFORE", pivot, value);
  }

  public int linsertAfter(String key, String pivot, String value, RedisCallback cb) {
    return command(cb, "LINSERT", key, "AFTER", pivot, value);
  }

  // ---- hashes -------------------------------------------------------------------------------

  public int hexists(String key, String field, RedisCallback cb) {
    return command(cb, "HEXISTS", key, field);
  }

  public int hdel(String key, RedisCallback cb, String... fields) {
    return command(cb, prepend("HDEL", key, fields));
  }

  public int hlen(String key, RedisCallback cb) {
    return command(cb, "HLEN", key);
  }

  public int hget(String key, String field, RedisCallback cb) {
    return command(cb, "HGET", key, field);
  }

  public int hset(String key, String field, String value, RedisCallback cb) {
    return command(cb, "HSET", key, field, value);
  }

  public int hmget(String key, RedisCallback cb, String... fields) {
    return command(cb, prepend("HMGET", key, fields));
  }

  /** HMSET with fields and values in order. */
  public int hmset(String key, Map<String, String> fields, RedisCallback cb) {
    List<String> args = new ArrayList<>();
    args.add("HMSET");
    args.add(key);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      args.add(e.getKey());
      args.add(e.getValue());
    }
    return command(cb, args.toArray(new String[0]));
  }

  public int hkeys(String key, RedisCallback cb) {
    return command(cb, "HKEYS", key);
  }

  public int hvals(String key, RedisCallback cb) {
    return command(cb, "HVALS", key);
  }

  public int hgetall(String key, RedisCallback cb) {
    return command(cb, "HGETALL", key);
  }

  public int hincrBy(String key, String field, long delta, RedisCallback cb) {
    return command(cb, "HINCRBY", key, field, Long.toString(delta));
  }

  /** HINCRBYFLOAT; the delta is sent as written (e.g. "1.5"), keeping floats out of the module. */
  public int hincrByFloat(String key, String field, String delta, RedisCallback cb) {
    return command(cb, "HINCRBYFLOAT", key, field, delta);
  }

  // ---- sets ---------------------------------------------------------------------------------

  public int scard(String key, RedisCallback cb) {
    return command(cb, "SCARD", key);
  }

  public int sadd(String key, RedisCallback cb, String... members) {
    return command(cb, prepend("SADD", key, members));
  }

  public int srem(String key, RedisCallback cb, String... members) {
    return command(cb, prepend("SREM", key, members));
  }

  public int sismember(String key, String member, RedisCallback cb) {
    return command(cb, "SISMEMBER", key, member);
  }

  public int smembers(String key, RedisCallback cb) {
    return command(cb, "SMEMBERS", key);
  }

  public int sdiff(RedisCallback cb, String... keys) {
    return command(cb, prepend("SDIFF", keys));
  }

  public int sdiffStore(String destination, RedisCallback cb, String... keys) {
    return command(cb, prepend("SDIFFSTORE", destination, keys));
  }

  public int sinter(RedisCallback cb, String... keys) {
    return command(cb, prepend("SINTER", keys));
  }

  public int sinterStore(String destination, RedisCallback cb, String... keys) {
    return command(cb, prepend("SINTERSTORE", destination, keys));
  }

  public int sunion(RedisCallback cb, String... keys) {
    return command(cb, prepend("SUNION", keys));
  }

  public int sunionStore(String destination, RedisCallback cb, String... keys) {
    return command(cb, prepend("SUNIONSTORE", destination, keys));
  }

  // ---- sorted sets --------------------------------------------------------------------------

  public int zcard(String key, RedisCallback cb) {
    return command(cb, "ZCARD", key);
  }

  /** ZADD with members and their scores (scores as written, e.g. "1" or "2.5"). */
  public int zadd(String key, Map<String, String> memberScores, RedisCallback cb) {
    List<String> args = new ArrayList<>();
    args.add("ZADD");
    args.add(key);
    for (Map.Entry<String, String> e : memberScores.entrySet()) {
      args.add(e.getValue());
      args.add(e.getKey());
    }
    return command(cb, args.toArray(new String[0]));
  }

  public int zcount(String key, String min, String max, RedisCallback cb) {
    return command(cb, "ZCOUNT", key, min, max);
  }

  public int zincrBy(String key, String member, String delta, RedisCallback cb) {
    return command(cb, "ZINCRBY", key, delta, member);
  }

  public int zscore(String key, String member, RedisCallback cb) {
    return command(cb, "ZSCORE", key, member);
  }

  public int zrank(String key, String member, RedisCallback cb) {
    return command(cb, "ZRANK", key, member);
  }

  public int zrevRank(String key, String member, RedisCallback cb) {
    return command(cb, "ZREVRANK", key, member);
  }

  public int zrem(String key, RedisCallback cb, String... members) {
    return command(cb, prepend("ZREM", key, members));
  }

  public int zrange(String key, long start, long stop, RedisCallback cb) {
    return command(cb, "ZRANGE", key, Long.toString(start), Long.toString(stop));
  }

  public int zrevrange(String key, long start, long stop, RedisCallback cb) {
    return command(cb, "ZREVRANGE", key, Long.toString(start), Long.toString(stop));
  }

  // ---- scripting ----------------------------------------------------------------------------

  /** EVAL {@code script} with {@code keys} (their count is sent for you) and {@code args}. */
  public int eval(String script, List<String> keys, List<String> args, RedisCallback cb) {
    List<String> all = new ArrayList<>();
    all.add("EVAL");
    all.add(script);
    all.add(Integer.toString(keys.size()));
    all.addAll(keys);
    all.addAll(args);
    return command(cb, all.toArray(new String[0]));
  }

  private static String[] prepend(String command, String... rest) {
    String[] out = new String[rest.length + 1];
    out[0] = command;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }

  private static String[] prepend(String command, String key, String... rest) {
    String[] out = new String[rest.length + 2];
    out[0] = command;
    out[1] = key;
    System.arraycopy(rest, 0, out, 2, rest.length);
    return out;
  }

  /** Configures a {@link RedisClient}. */
  public static final class Builder {
    private final Cluster cluster;
    private final int timeoutMillis;
    private String username = "";
    private String password = "";
    private int database;

    private Builder(Cluster cluster, int timeoutMillis) {
      this.cluster = cluster;
      this.timeoutMillis = timeoutMillis;
    }

    public Builder username(String u) {
      this.username = u == null ? "" : u;
      return this;
    }

    public Builder password(String p) {
      this.password = p == null ? "" : p;
      return this;
    }

    /** The database to use (0, the default, adds nothing to the cluster name). */
    public Builder database(int db) {
      this.database = db;
      return this;
    }

    public RedisClient build() {
      return new RedisClient(this);
    }
  }
}
