package dev.parley.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentitySetTest {
  private final IdentitySet<String> set = new IdentitySet<>();

  private List<String> elements() {
    List<String> all = new ArrayList<>();
    set.forEach(all::add);
    return all;
  }

  @Test
  void anEmptySetHoldsNothing() {
    assertThat(set.isEmpty()).isTrue();
    assertThat(set.contains("a")).isFalse();
    assertThat(set.remove("a")).isFalse();
    assertThat(elements()).isEmpty();
  }

  @Test
  void elementsAreToldApartByIdentityNotEquality() {
    String one = new String("alice");
    String other = new String("alice");

    assertThat(set.add(one)).isTrue();
    assertThat(set.contains(other)).isFalse();
    assertThat(set.add(other)).isTrue();
    assertThat(set.add(one)).isFalse();

    assertThat(set.size()).isEqualTo(2);
    assertThat(set.remove(new String("alice"))).isFalse();
    assertThat(set.remove(one)).isTrue();
    assertThat(elements()).singleElement().isSameAs(other);
  }

  @Test
  void oneElementComesAndGoes() {
    assertThat(set.add("a")).isTrue();
    assertThat(set.contains("a")).isTrue();
    assertThat(elements()).containsExactly("a");

    assertThat(set.remove("b")).isFalse();
    assertThat(set.remove("a")).isTrue();
    assertThat(set.isEmpty()).isTrue();
    assertThat(set.contains("a")).isFalse();
  }

  @Test
  void growsPastTheArrayAndBackKeepingEveryElement() {
    List<String> many = distinct(IdentitySet.ARRAY_MAX * 3);
    for (String each : many) {
      assertThat(set.add(each)).isTrue();
      assertThat(set.add(each)).isFalse();
    }
    assertThat(set.size()).isEqualTo(many.size());
    assertThat(elements()).containsExactlyInAnyOrderElementsOf(many);
    many.forEach(each -> assertThat(set.contains(each)).isTrue());

    for (String each : many.subList(0, many.size() - 1)) {
      assertThat(set.remove(each)).isTrue();
      assertThat(set.contains(each)).isFalse();
    }
    assertThat(elements()).containsExactly(many.getLast());
    assertThat(set.remove(many.getLast())).isTrue();
    assertThat(set.isEmpty()).isTrue();
  }

  @Test
  void agreesWithAnIdentitySetUnderRandomAddsAndRemovesAroundTheBound() {
    List<String> pool = distinct(IdentitySet.ARRAY_MAX * 2);
    Set<String> model = Collections.newSetFromMap(new IdentityHashMap<>());
    Random random = new Random(15);
    for (int i = 0; i < 20_000; i++) {
      String each = pool.get(random.nextInt(pool.size()));
      if (random.nextBoolean()) { // about half the pool held: around the bound
        assertThat(set.add(each)).isEqualTo(model.add(each));
      } else {
        assertThat(set.remove(each)).isEqualTo(model.remove(each));
      }
      assertThat(set.size()).isEqualTo(model.size());
      assertThat(set.contains(each)).isEqualTo(model.contains(each));
    }
    assertThat(elements()).containsExactlyInAnyOrderElementsOf(model);
  }

  private static List<String> distinct(int count) {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      all.add(new String("e" + (i % 7))); // equal in pairs, distinct objects
    }
    return all;
  }
}
