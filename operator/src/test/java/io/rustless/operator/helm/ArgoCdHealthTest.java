package io.rustless.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The chart's Argo CD health check, run by a Lua interpreter (luaj; Argo CD runs gopher-lua) on
 * sources as the operator writes them.
 */
class ArgoCdHealthTest {

  private static final Path SCRIPT = Path.of("../helm/rustless-operator/argocd/health.lua");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, String> health(String objJson) throws IOException {
    var globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(JSON.readTree(objJson)));
    LuaValue hs = globals.load(Files.readString(SCRIPT), "health.lua").call();
    return Map.of("status", hs.get("status").tojstring(), "message", hs.get("message").tojstring());
  }

  private static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      var t = new LuaTable();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        t.set(e.getKey(), toLua(e.getValue()));
      }
      return t;
    }
    if (node.isArray()) {
      var t = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        t.set(i + 1, toLua(node.get(i)));
      }
      return t;
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
  }

  private static String source(
      long generation, long observed, String ready, String reason, String extra) {
    return """
        {"metadata": {"name": "s", "generation": %d},
         "status": {"observedGeneration": %d, "conditions": [
           {"type": "ConfigValid", "status": "True", "reason": "Valid", "message": "ok"},
           {"type": "Ready", "status": "%s", "reason": "%s", "message": "because %s"}%s]}}
        """
        .formatted(generation, observed, ready, reason, reason, extra);
  }

  private static final String RECONCILING =
      ", {\"type\": \"Reconciling\", \"status\": \"True\", \"reason\": \"ProgressingWithRetry\", \"message\": \"retrying\"}";
  private static final String STALLED =
      ", {\"type\": \"Stalled\", \"status\": \"True\", \"reason\": \"RetriesExhausted\", \"message\": \"gave up\"}";

  @ParameterizedTest
  @CsvSource({
    "2, 2, True, Ready, , Healthy",
    "3, 2, True, Ready, , Progressing",
    "2, 2, Unknown, Building, , Progressing",
    "2, 2, Unknown, BuildQueued, , Progressing",
    "2, 2, False, BuildFailed, reconciling, Degraded",
    "2, 2, False, ReconcileError, reconciling, Degraded",
    "2, 2, False, BuildTimedOut, reconciling, Degraded",
    "2, 2, False, InvalidConfig, , Degraded",
    "2, 2, False, PolicyViolation, , Degraded"
  })
  void mapsKstatusConditionsToArgoHealth(
      long generation, long observed, String ready, String reason, String extra, String expected)
      throws IOException {
    var hs =
        health(
            source(
                generation,
                observed,
                ready,
                reason,
                "reconciling".equals(extra) ? RECONCILING : ""));

    assertThat(hs.get("status")).isEqualTo(expected);
    if (generation == observed) {
      assertThat(hs.get("message")).isEqualTo("because " + reason);
    }
  }

  @Test
  void stalledIsDegradedWithItsMessage() throws IOException {
    var hs = health(source(2, 2, "False", "BuildFailed", STALLED));

    assertThat(hs).containsEntry("status", "Degraded").containsEntry("message", "gave up");
  }

  @Test
  void aSuspendedSourceIsSuspendedWhateverItsStatus() throws IOException {
    String suspended =
        source(3, 2, "False", "BuildFailed", STALLED)
            .replace("\"generation\": 3}", "\"generation\": 3}, \"spec\": {\"suspend\": true}");

    assertThat(health(suspended)).containsEntry("status", "Suspended");
    assertThat(health(suspended.replace("\"suspend\": true", "\"suspend\": false")))
        .containsEntry("status", "Progressing");
  }

  @Test
  void aSourceWithoutStatusIsProgressing() throws IOException {
    assertThat(health("{\"metadata\": {\"name\": \"s\", \"generation\": 1}}"))
        .containsEntry("status", "Progressing");
  }

  @Test
  void chartReadmeShipsExactlyThisScript() throws IOException {
    String readme = Files.readString(Path.of("../helm/rustless-operator/README.md"));

    assertThat(readme).contains(Files.readString(SCRIPT).strip());
  }
}
