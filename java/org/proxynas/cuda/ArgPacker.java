package org.proxynas.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Packs kernel arguments as cuLaunchKernel takes them: an array of pointers, the i-th to the i-th argument laid out
 * as the kernel's i-th parameter type ({@link KernelAbi}). Each argument is checked against that type first (an
 * {@link Integer} where the kernel declares {@code long long} is an error, not a silent conversion). The buffers
 * are allocated once per packer and reused: a launch allocates no native memory. Not thread-safe; the launchers
 * pack under their own lock.
 */
final class ArgPacker implements AutoCloseable {
    /** The most parameters a kernel may have (the widest kernel has 20). */
    static final int MAX_PARAMS = 32;
    private static final long SLOT = 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment values = arena.allocate(SLOT * MAX_PARAMS, SLOT);
    private final MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, MAX_PARAMS);

    ArgPacker() {
        for (int i = 0; i < MAX_PARAMS; i++) pointers.setAtIndex(ValueLayout.ADDRESS, i, values.asSlice(SLOT * i, SLOT));
    }

    /** Checks args against kernel's parameters and packs them; the returned array is valid until the next pack. */
    MemorySegment pack(KernelAbi.Kernel kernel, Object[] args) {
        check(kernel, args);
        for (int i = 0; i < args.length; i++) write(values, SLOT * i, kernel.params().get(i), args[i]);
        return pointers;
    }

    /** A packed copy that outlives this packer's next launch (a captured launch), allocated in arena. */
    static MemorySegment packInto(Arena arena, KernelAbi.Kernel kernel, Object[] args) {
        check(kernel, args);
        int n = Math.max(1, args.length);
        MemorySegment vals = arena.allocate(SLOT * n, SLOT);
        MemorySegment ptrs = arena.allocate(ValueLayout.ADDRESS, n);
        for (int i = 0; i < args.length; i++) {
            write(vals, SLOT * i, kernel.params().get(i), args[i]);
            ptrs.setAtIndex(ValueLayout.ADDRESS, i, vals.asSlice(SLOT * i, SLOT));
        }
        return ptrs;
    }

    private static void check(KernelAbi.Kernel kernel, Object[] args) {
        List<KernelAbi.ParamType> params = kernel.params();
        if (params.size() > MAX_PARAMS) {
            throw new IllegalArgumentException(kernel.name() + " has " + params.size() + " parameters, more than the "
                    + MAX_PARAMS + " ArgPacker.MAX_PARAMS holds");
        }
        if (args.length != params.size()) {
            throw new IllegalArgumentException(kernel.name() + " takes " + params.size() + " arguments ("
                    + params.stream().map(p -> p.cName).toList() + "), got " + args.length);
        }
        for (int i = 0; i < args.length; i++) {
            KernelAbi.ParamType p = params.get(i);
            if (!p.javaType.isInstance(args[i])) {
                throw new IllegalArgumentException(kernel.name() + ": parameter " + (i + 1) + " is " + p.cName + " ("
                        + p.javaType.getSimpleName() + " in Java), got " + (args[i] == null ? "null"
                        : args[i].getClass().getSimpleName() + " " + args[i]));
            }
        }
    }

    private static void write(MemorySegment to, long at, KernelAbi.ParamType type, Object arg) {
        switch (type) {
            case PTR -> to.set(ValueLayout.JAVA_LONG, at, ((Launcher.Ptr) arg).address());
            case I32 -> to.set(ValueLayout.JAVA_INT, at, (Integer) arg);
            case I64 -> to.set(ValueLayout.JAVA_LONG, at, (Long) arg);
            case F32 -> to.set(ValueLayout.JAVA_FLOAT, at, (Float) arg);
            case F64 -> to.set(ValueLayout.JAVA_DOUBLE, at, (Double) arg);
        }
    }

    @Override
    public void close() { arena.close(); }
}
