package org.proxynas.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kernel's launch bounds and parameter types, as one table: {@code kernels.abi}, printed at build time from
 * the compiled kernels' own C++ parameter types (native-build/build-cuda.sh, cuda/emu/cuda_emu.h). Both launchers
 * pack arguments by it ({@link ArgPacker}): the driver gets exactly the declared widths, and the emulation's entry
 * points read the same packed array by the kernel's types. The block size of a launch is the kernel's
 * {@code __launch_bounds__}, so Java restates no thread count.
 *
 * <p>Table format, one kernel per line: {@code name maxThreads type,type,...} ({@code -} for no parameters).
 */
public record KernelAbi(String source, Map<String, Kernel> kernels) {
    /** The jar resource the build writes. */
    public static final String RESOURCE = "/org/proxynas/cuda/kernels.abi";

    public KernelAbi {
        kernels = Map.copyOf(kernels);
    }

    /** A kernel parameter's type: its C spelling, its size in the packed argument, and the Java value it takes. */
    public enum ParamType {
        PTR("ptr", "a device pointer", Launcher.Ptr.class),
        I32("i32", "int", Integer.class),
        I64("i64", "long long", Long.class),
        F32("f32", "float", Float.class),
        F64("f64", "double", Double.class);

        final String code, cName;
        final Class<?> javaType;

        ParamType(String code, String cName, Class<?> javaType) {
            this.code = code;
            this.cName = cName;
            this.javaType = javaType;
        }

        static ParamType of(String code, String where) {
            for (ParamType t : values()) if (t.code.equals(code)) return t;
            throw new IllegalStateException(where + ": unknown parameter type '" + code + "' (expected ptr, i32, i64, f32 or f64)");
        }
    }

    /** One kernel: its name, its {@code __launch_bounds__} (the block size it is launched with) and parameters. */
    public record Kernel(String name, int threads, List<ParamType> params) {
        public Kernel {
            params = List.copyOf(params);
        }
    }

    /** The kernel named so; throws naming the table when the kernel is not in it. */
    public Kernel kernel(String name) {
        Kernel k = kernels.get(name);
        if (k == null) throw new CudaException("kernel " + name + " is not in the kernel ABI table " + source
                + " (kernel not written, or the table is out of date: rebuild)", null);
        return k;
    }

    /** The block size kernel is declared for. */
    public int threads(String name) { return kernel(name).threads(); }

    /** Parses a table; source names it in messages. */
    public static KernelAbi parse(String text, String source) {
        Map<String, Kernel> kernels = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            String where = source + " line " + (i + 1);
            String[] f = line.split(" ");
            if (f.length != 3) throw new IllegalStateException(where + ": expected 'name maxThreads types', got '" + line + "'");
            int threads;
            try {
                threads = Integer.parseInt(f[1]);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(where + ": maxThreads '" + f[1] + "' is not an integer", e);
            }
            if (threads < 1 || threads > 1024) throw new IllegalStateException(where + ": maxThreads " + threads + " is outside 1..1024");
            List<ParamType> params = f[2].equals("-") ? List.of()
                    : java.util.Arrays.stream(f[2].split(",")).map(c -> ParamType.of(c, where)).toList();
            if (kernels.put(f[0], new Kernel(f[0], threads, params)) != null) {
                throw new IllegalStateException(where + ": kernel " + f[0] + " listed twice");
            }
        }
        if (kernels.isEmpty()) throw new IllegalStateException(source + ": no kernels in the kernel ABI table");
        return new KernelAbi(source, kernels);
    }

    /** The table built into this jar ({@link #RESOURCE}); throws when the build did not write it. */
    public static KernelAbi resource() {
        try (InputStream in = KernelAbi.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("the kernel ABI table " + RESOURCE + " is not in this jar: "
                    + "it is written by native-build/build-cuda.sh with the kernels (needs g++)");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }
}
