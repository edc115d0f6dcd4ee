// SPDX-License-Identifier: Apache-2.0
// Shard: one of N deterministic, balanced slices of a matrix, so that CI can run the matrix on N machines.
package dev.udsinterop.harness.matrix;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Slice {@code index} (1-based) of {@code count}. Every entry gets an estimated cost (a
 * scenario starts servers of its own; an echo case costs with its bytes), and entries are
 * dealt, the dearest first, each to the slice with the least cost so far (the lowest index on
 * a tie). The result depends only on the matrix, so N machines given the same matrix agree
 * on the slices without talking to each other; each slice keeps the matrix order.
 */
public record Shard(int index, int count) {
    private static final long SCENARIO_COST = 64;
    private static final long BYTES_PER_COST = 64 * 1024;

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": want I/N with 1 <= I <= N");
        }
    }

    /**
     * Parses {@code I/N}, e.g. {@code 2/3}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Shard parse(String text) {
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // fall through to the one message
        }
        throw new IllegalArgumentException("--shard " + text + ": want I/N, e.g. 2/3");
    }

    /** Returns this slice of {@code matrix}. */
    public Matrix of(Matrix matrix) {
        List<MatrixEntry> entries = matrix.entries();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingLong((Integer i) -> -cost(entries.get(i).testCase())).thenComparingInt(i -> i));
        long[] load = new long[count];
        boolean[] mine = new boolean[entries.size()];
        for (int i : order) {
            int lightest = 0;
            for (int s = 1; s < count; s++) {
                if (load[s] < load[lightest]) {
                    lightest = s;
                }
            }
            load[lightest] += cost(entries.get(i).testCase());
            mine[i] = lightest == index - 1;
        }
        List<MatrixEntry> slice = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (mine[i]) {
                slice.add(entries.get(i));
            }
        }
        return Matrix.of(slice);
    }

    static long cost(InteropCase c) {
        if (c.kind() != Kind.ECHO) {
            return SCENARIO_COST;
        }
        return 1 + (long) c.size() * c.connections() / BYTES_PER_COST;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
