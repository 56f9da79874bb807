package dev.parley.server.presence;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A set of objects told apart by identity, as small as the watch index's sets mostly are: nothing
 * for none, the element itself for one, an array for up to {@link #ARRAY_MAX}, a hashed set past
 * that. An {@code IdentityHashMap}-backed set costs about 200 bytes even for one element, and a
 * {@code HashSet} of 20 names about 850; a name watched by thousands or a member watching a
 * thousand names still adds and removes in constant time. Not thread-safe; iteration order is
 * unspecified.
 *
 * <p>Open for extension so that a holder can be one object with its set ({@link Watchers}' index
 * entry for a name).
 */
class IdentitySet<E> {
  /** The largest set kept in an array: an identity scan of this many is a few cache lines. */
  static final int ARRAY_MAX = 64;

  /**
   * By {@link #size}: null for 0, the element for 1, an {@code Object[]} up to ARRAY_MAX, else a
   * {@code Set<E>}.
   */
  private @Nullable Object elements;

  private int size;

  final int size() {
    return size;
  }

  final boolean isEmpty() {
    return size == 0;
  }

  @SuppressWarnings({"unchecked", "ReferenceEquality"}) // identity is the point
  final boolean contains(E element) {
    if (size == 0) {
      return false;
    }
    if (size == 1) {
      return elements == element;
    }
    if (size <= ARRAY_MAX) {
      return indexOf((Object[]) elements(), element) >= 0;
    }
    return ((Set<E>) elements()).contains(element);
  }

  /** Adds {@code element}; whether it was not there yet. */
  @SuppressWarnings({"unchecked", "ReferenceEquality"})
  final boolean add(E element) {
    if (size == 0) {
      elements = element;
      size = 1;
      return true;
    }
    if (size == 1) {
      if (elements == element) {
        return false;
      }
      elements = new Object[] {elements, element};
      size = 2;
      return true;
    }
    if (size <= ARRAY_MAX) {
      Object[] array = (Object[]) elements();
      if (indexOf(array, element) >= 0) {
        return false;
      }
      if (size < ARRAY_MAX) {
        if (size == array.length) {
          array = Arrays.copyOf(array, Math.min(ARRAY_MAX, array.length * 2));
          elements = array;
        }
        array[size++] = element;
        return true;
      }
      Set<E> set = Collections.newSetFromMap(new IdentityHashMap<>(ARRAY_MAX * 2));
      for (Object each : array) {
        set.add((E) each);
      }
      set.add(element);
      elements = set;
      size++;
      return true;
    }
    Set<E> set = (Set<E>) elements();
    if (!set.add(element)) {
      return false;
    }
    size++;
    return true;
  }

  /** Removes {@code element}; whether it was there. */
  @SuppressWarnings({"unchecked", "ReferenceEquality"})
  final boolean remove(E element) {
    if (size == 0) {
      return false;
    }
    if (size == 1) {
      if (elements != element) {
        return false;
      }
      elements = null;
      size = 0;
      return true;
    }
    if (size <= ARRAY_MAX) {
      Object[] array = (Object[]) elements();
      int at = indexOf(array, element);
      if (at < 0) {
        return false;
      }
      size--;
      array[at] = array[size];
      array[size] = null;
      if (size == 1) {
        elements = array[0];
      } else if (array.length > 4 && size <= array.length / 4) {
        elements = Arrays.copyOf(array, array.length / 2);
      }
      return true;
    }
    Set<E> set = (Set<E>) elements();
    if (!set.remove(element)) {
      return false;
    }
    size--;
    if (size == ARRAY_MAX) {
      // Back to an array: which costs a copy of ARRAY_MAX references at most once per crossing.
      elements = set.toArray();
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  final void forEach(Consumer<? super E> action) {
    if (size == 0) {
      return;
    }
    if (size == 1) {
      action.accept((E) elements());
    } else if (size <= ARRAY_MAX) {
      Object[] array = (Object[]) elements();
      for (int i = 0; i < size; i++) {
        action.accept((E) array[i]);
      }
    } else {
      ((Set<E>) elements()).forEach(action);
    }
  }

  private Object elements() {
    Object current = elements;
    if (current == null) {
      throw new IllegalStateException("an empty set has no elements");
    }
    return current;
  }

  @SuppressWarnings("ReferenceEquality") // identity is the point
  private int indexOf(Object[] array, Object element) {
    for (int i = 0; i < size; i++) {
      if (array[i] == element) {
        return i;
      }
    }
    return -1;
  }
}
