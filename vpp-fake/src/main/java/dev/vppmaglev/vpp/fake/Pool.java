package dev.vppmaglev.vpp.fake;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A VPP pool (src/vppinfra/pool.h): elements live at stable indexes; {@link #get} reuses the
 * most recently freed index first (the free list is a stack), else appends; iteration is in
 * index order over live elements. The lb plugin's VIP and AS indexes come from such pools, so
 * the fake allocates them the same way.
 *
 * @param <T> element type
 */
final class Pool<T> {
    private final List<T> slots = new ArrayList<>();
    private final BitSet free = new BitSet();
    private final ArrayList<Integer> freeStack = new ArrayList<>();

    /** Stores {@code value} at the next index ({@code pool_get}) and returns that index. */
    int get(T value) {
        if (!freeStack.isEmpty()) {
            int i = freeStack.remove(freeStack.size() - 1);
            free.clear(i);
            slots.set(i, value);
            return i;
        }
        slots.add(value);
        return slots.size() - 1;
    }

    /** Frees {@code index} ({@code pool_put}). */
    void put(int index) {
        if (!live(index)) {
            throw new IllegalStateException("pool index " + index + " is not live");
        }
        slots.set(index, null);
        free.set(index);
        freeStack.add(index);
    }

    boolean live(int index) {
        return index >= 0 && index < slots.size() && !free.get(index);
    }

    /** The element at {@code index}, or {@code null} when free or out of range. */
    T at(int index) {
        return live(index) ? slots.get(index) : null;
    }

    /** {@code pool_elts}: live elements. */
    int elts() {
        return slots.size() - free.cardinality();
    }

    /** {@code pool_len}: slots including free ones. */
    int len() {
        return slots.size();
    }

    /** Calls {@code f} with every live index, ascending ({@code pool_foreach}). */
    void forEachIndex(IntConsumer f) {
        for (int i = 0; i < slots.size(); i++) {
            if (!free.get(i)) {
                f.accept(i);
            }
        }
    }

    /** Live indexes, ascending. */
    List<Integer> indexes() {
        List<Integer> out = new ArrayList<>(elts());
        forEachIndex(out::add);
        return out;
    }
}
