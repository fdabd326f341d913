package org.proxynas.tensor;

import java.util.Arrays;

/** Argument checks shared by every backend; each failure names the argument and what was expected. */
public final class Checks {
    private Checks() {}

    public static void notNull(String name, Object value) {
        if (value == null) throw new IllegalArgumentException(name + " must not be null");
    }

    public static void rank(String name, Tensor t, int rank) {
        notNull(name, t);
        if (t.rank() != rank) {
            throw new IllegalArgumentException(name + " must have rank " + rank + ", got shape " + Arrays.toString(t.shape()));
        }
    }

    /** Exact shape; a negative expected dimension matches anything. */
    public static void shape(String name, Tensor t, int... expected) {
        notNull(name, t);
        int[] s = t.shape();
        boolean ok = s.length == expected.length;
        for (int i = 0; ok && i < s.length; i++) ok = expected[i] < 0 || expected[i] == s[i];
        if (!ok) {
            throw new IllegalArgumentException(name + " must have shape " + describe(expected) + ", got " + Arrays.toString(s));
        }
    }

    public static void sameShape(String name, Tensor t, String otherName, Tensor other) {
        notNull(name, t);
        notNull(otherName, other);
        if (!t.sameShape(other)) {
            throw new IllegalArgumentException(name + " must have the shape of " + otherName + " " + Arrays.toString(other.shape())
                    + ", got " + Arrays.toString(t.shape()));
        }
    }

    public static void sameSize(String name, Tensor t, String otherName, Tensor other) {
        notNull(name, t);
        notNull(otherName, other);
        if (t.size() != other.size()) {
            throw new IllegalArgumentException(name + " must have " + other.size() + " elements like " + otherName + ", got " + t.size());
        }
    }

    public static void positive(String name, double value) {
        if (!(value > 0)) throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }

    public static void nonNegative(String name, double value) {
        if (!(value >= 0)) throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }

    public static void range(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], got " + value);
        }
    }

    public static void sameBackend(Backend backend, String name, Tensor t) {
        if (t != null && t.backend() != backend) {
            throw new IllegalArgumentException(name + " lives on backend " + t.backend().name() + ", expected " + backend.name());
        }
    }

    private static String describe(int[] dims) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) b.append(", ");
            b.append(dims[i] < 0 ? "*" : Integer.toString(dims[i]));
        }
        return b.append(']').toString();
    }
}
