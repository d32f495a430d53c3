/*
 * The floor a Java plugin is measured against: a proxy-wasm plugin in C (Debian's clang for
 * wasm32, wasi-libc's malloc) that makes the same host calls as the Java plugins it is compared
 * with, and nothing else. Its configuration chooses what it does per request:
 *
 *   "header"                 adds the request header x-hello: rustless (as HeaderPlugin does)
 *   "hello DOMAIN ROUTE"     as say-hello with a domain rule then a route rule: reads :authority,
 *                            reads the route_name property, answers "Hello, route!" (or
 *                            "Hello, domain!" / "Hello, World!") with a content-type header
 *   anything else            passes the request on
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define EXPORT(name) __attribute__((export_name(#name)))

enum { OK = 0, NOT_FOUND = 1 };
enum { REQUEST_HEADERS = 0 };
enum { PLUGIN_CONFIGURATION = 7 };
enum { CONTINUE = 0, STOP_ITERATION = 1 };

IMPORT(proxy_get_buffer_bytes)
int32_t proxy_get_buffer_bytes(int32_t type, int32_t start, int32_t max, char **data, size_t *size);
IMPORT(proxy_get_header_map_value)
int32_t proxy_get_header_map_value(int32_t type, const char *key, size_t key_size, char **value,
                                   size_t *value_size);
IMPORT(proxy_add_header_map_value)
int32_t proxy_add_header_map_value(int32_t type, const char *key, size_t key_size,
                                   const char *value, size_t value_size);
IMPORT(proxy_get_property)
int32_t proxy_get_property(const char *path, size_t path_size, char **value, size_t *value_size);
IMPORT(proxy_send_local_response)
int32_t proxy_send_local_response(int32_t status, const char *details, size_t details_size,
                                  const char *body, size_t body_size, const char *headers,
                                  size_t headers_size, int32_t grpc_status);

enum mode { PASS, HEADER, HELLO };
static enum mode mode = PASS;
static char *domain, *route;
static size_t domain_size, route_size;

/* content-type: text/plain; charset=utf-8, in the ABI's header-pairs encoding */
static char reply_headers[64];
static size_t reply_headers_size;

EXPORT(proxy_abi_version_0_2_100) void proxy_abi_version_0_2_100(void) {}

EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size) {
  return malloc(size);
}

EXPORT(proxy_on_context_create) void proxy_on_context_create(int32_t id, int32_t parent) {}

EXPORT(proxy_on_vm_start) int32_t proxy_on_vm_start(int32_t id, int32_t size) { return 1; }

static void put_u32(char *at, uint32_t v) { memcpy(at, &v, 4); }

static int blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static char *word(char **cursor, size_t *size) {
  char *p = *cursor;
  while (blank(*p)) p++;
  char *start = p;
  while (*p && !blank(*p)) p++;
  *size = (size_t)(p - start);
  *cursor = p;
  return *size ? start : NULL;
}

EXPORT(proxy_on_configure) int32_t proxy_on_configure(int32_t id, int32_t size) {
  char *config = NULL;
  size_t config_size = 0;
  if (size > 0 && proxy_get_buffer_bytes(PLUGIN_CONFIGURATION, 0, size, &config, &config_size) != OK)
    return 0;
  char *text = calloc(config_size + 1, 1);
  if (config) memcpy(text, config, config_size);
  free(config);
  char *cursor = text;
  size_t n;
  char *verb = word(&cursor, &n);
  if (verb && n == 6 && memcmp(verb, "header", 6) == 0) {
    mode = HEADER;
  } else if (verb && n == 5 && memcmp(verb, "hello", 5) == 0) {
    domain = word(&cursor, &domain_size);
    route = word(&cursor, &route_size);
    if (!domain || !route) return 0;
    mode = HELLO;
  }
  static const char name[] = "content-type", value[] = "text/plain; charset=utf-8";
  put_u32(reply_headers, 1);
  put_u32(reply_headers + 4, sizeof name - 1);
  put_u32(reply_headers + 8, sizeof value - 1);
  memcpy(reply_headers + 12, name, sizeof name);
  memcpy(reply_headers + 12 + sizeof name, value, sizeof value);
  reply_headers_size = 12 + sizeof name + sizeof value;
  return 1;
}

static int same(const char *a, size_t a_size, const char *b, size_t b_size) {
  return a_size == b_size && memcmp(a, b, a_size) == 0;
}

static int32_t hello(void) {
  char *authority = NULL, *route_name = NULL;
  size_t authority_size = 0, route_name_size = 0;
  const char *who = "World";
  proxy_get_header_map_value(REQUEST_HEADERS, ":authority", 10, &authority, &authority_size);
  if (same(authority, authority_size, domain, domain_size)) {
    who = "domain";
  } else {
    proxy_get_property("route_name", 10, &route_name, &route_name_size);
    if (same(route_name, route_name_size, route, route_size)) who = "route";
  }
  free(authority);
  free(route_name);
  char body[32];
  size_t body_size = 0;
  memcpy(body, "Hello, ", 7);
  body_size = 7;
  size_t who_size = strlen(who);
  memcpy(body + body_size, who, who_size);
  body_size += who_size;
  body[body_size++] = '!';
  proxy_send_local_response(200, NULL, 0, body, body_size, reply_headers, reply_headers_size, -1);
  return STOP_ITERATION;
}

EXPORT(proxy_on_request_headers)
int32_t proxy_on_request_headers(int32_t id, int32_t headers, int32_t end_of_stream) {
  switch (mode) {
    case HEADER:
      proxy_add_header_map_value(REQUEST_HEADERS, "x-hello", 7, "rustless", 8);
      return CONTINUE;
    case HELLO:
      return hello();
    default:
      return CONTINUE;
  }
}

EXPORT(proxy_on_done) int32_t proxy_on_done(int32_t id) { return 1; }

EXPORT(proxy_on_log) void proxy_on_log(int32_t id) {}

EXPORT(proxy_on_delete) void proxy_on_delete(int32_t id) {}
