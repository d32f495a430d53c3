package io.rustless.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntMapTest {

  @Test
  void behavesLikeAHashMapUnderRandomOperations() {
    randomOperations(500);
  }

  /** Few keys: the same key comes back to back, as a request's callbacks do (the kept entry). */
  @Test
  void behavesLikeAHashMapWhenTheSameKeysComeBackToBack() {
    randomOperations(3);
  }

  @Test
  void theKeptEntryNeverOutlivesItsRemovalOrAClear() {
    IntMap<String> map = new IntMap<>();
    map.put(5, "a");
    assertThat(map.get(5)).isEqualTo("a");
    assertThat(map.remove(5)).isEqualTo("a");
    assertThat(map.get(5)).isNull();
    map.put(5, "a");
    map.put(6, "b");
    assertThat(map.remove(6)).isEqualTo("b");
    assertThat(map.get(6)).isNull();
    assertThat(map.get(5)).isEqualTo("a");
    map.put(5, "c");
    assertThat(map.get(5)).isEqualTo("c");
    map.clear();
    assertThat(map.get(5)).isNull();
    assertThat(map.get(0)).isNull();
  }

  private static void randomOperations(int keys) {
    IntMap<String> map = new IntMap<>();
    Map<Integer, String> model = new HashMap<>();
    Random random = new Random(7);
    for (int op = 0; op < 200_000; op++) {
      int key = 1 + random.nextInt(keys);
      switch (random.nextInt(3)) {
        case 0 -> {
          map.put(key, "v" + op);
          model.put(key, "v" + op);
        }
        case 1 -> assertThat(map.remove(key)).isEqualTo(model.remove(key));
        default -> assertThat(map.get(key)).isEqualTo(model.get(key));
      }
      assertThat(map.size()).isEqualTo(model.size());
    }
    for (int key = 1; key <= keys; key++) {
      assertThat(map.get(key)).isEqualTo(model.get(key));
    }
  }

  @Test
  void growsAndClears() {
    IntMap<Integer> map = new IntMap<>();
    for (int i = 1; i <= 10_000; i++) {
      map.put(i, i);
    }
    assertThat(map.size()).isEqualTo(10_000);
    assertThat(map.get(9_999)).isEqualTo(9_999);
    map.clear();
    assertThat(map.size()).isZero();
    assertThat(map.get(1)).isNull();
  }

  @Test
  void rejectsNonPositiveKeys() {
    assertThatThrownBy(() -> new IntMap<String>().put(0, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
