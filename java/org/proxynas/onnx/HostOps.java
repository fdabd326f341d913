package org.proxynas.onnx;

import java.util.Arrays;

/**
 * The ONNX operators the interpreter runs on {@link HostArray}s: numpy-style broadcasting binaries, Gather,
 * Concat, Cast and Exp. Float arithmetic is fp32 as ONNX specifies (Java float operations are IEEE single
 * precision); integer Div truncates toward zero, as ONNX's integer Div does.
 */
final class HostOps {
    private HostOps() {}

    enum Binary { ADD, SUB, MUL, DIV, MAX, MIN }

    static HostArray binary(Binary op, HostArray a, HostArray b, String where) {
        if (a.isFloat() != b.isFloat()) {
            throw new OnnxFormatException(where + ": operands have different element types (" + a + ", " + b + ")");
        }
        int[] shape = broadcast(a.shape(), b.shape(), where);
        int n = Math.toIntExact(HostArray.size(shape));
        int[] ia = indexMap(a.shape(), shape), ib = indexMap(b.shape(), shape);
        if (a.isFloat()) {
            float[] x = a.floats(), y = b.floats(), out = new float[n];
            for (int i = 0; i < n; i++) {
                float u = x[ia[i]], v = y[ib[i]];
                out[i] = switch (op) {
                    case ADD -> u + v;
                    case SUB -> u - v;
                    case MUL -> u * v;
                    case DIV -> u / v;
                    // ONNX Max/Min propagate NaN like numpy's maximum/minimum.
                    case MAX -> Float.isNaN(u) || Float.isNaN(v) ? Float.NaN : Math.max(u, v);
                    case MIN -> Float.isNaN(u) || Float.isNaN(v) ? Float.NaN : Math.min(u, v);
                };
            }
            return HostArray.ofFloats(out, shape);
        }
        long[] x = a.longs(), y = b.longs(), out = new long[n];
        for (int i = 0; i < n; i++) {
            long u = x[ia[i]], v = y[ib[i]];
            out[i] = switch (op) {
                case ADD -> u + v;
                case SUB -> u - v;
                case MUL -> u * v;
                case DIV -> {
                    if (v == 0) throw new OnnxFormatException(where + ": integer division by zero");
                    yield u / v;
                }
                case MAX -> Math.max(u, v);
                case MIN -> Math.min(u, v);
            };
        }
        return HostArray.ofLongs(out, shape);
    }

    /** The numpy broadcast of two shapes (aligned at the right; a dimension of 1 stretches). */
    static int[] broadcast(int[] a, int[] b, String where) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new OnnxFormatException(where + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " do not broadcast");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** For every element of {@code out} (row-major), the index of the element of a {@code shape} array it reads. */
    private static int[] indexMap(int[] shape, int[] out) {
        int n = Math.toIntExact(HostArray.size(out));
        int[] map = new int[n];
        int offset = out.length - shape.length;
        int[] stride = new int[out.length];
        int s = 1;
        for (int i = out.length - 1; i >= offset; i--) {
            stride[i] = shape[i - offset] == 1 ? 0 : s;
            s *= shape[i - offset];
        }
        int[] counter = new int[out.length];
        int index = 0;
        for (int i = 0; i < n; i++) {
            map[i] = index;
            for (int d = out.length - 1; d >= 0; d--) {
                counter[d]++;
                index += stride[d];
                if (counter[d] < out[d]) break;
                index -= stride[d] * counter[d];
                counter[d] = 0;
            }
        }
        return map;
    }

    /**
     * ONNX Gather: out = data.shape[:axis] + indices.shape + data.shape[axis+1:]; negative indices count from the
     * end. An index out of range is an error naming it (for an embedding table: a category code the table lacks).
     */
    static HostArray gather(HostArray data, HostArray indices, int axis, String where) {
        if (indices.isFloat()) throw new OnnxFormatException(where + ": indices must be integers, got " + indices);
        int rank = data.rank();
        int ax = axis < 0 ? axis + rank : axis;
        if (ax < 0 || ax >= rank) throw new OnnxFormatException(where + ": axis " + axis + " out of range for " + data);
        int[] ds = data.shape();
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= ds[i];
        for (int i = ax + 1; i < rank; i++) inner *= ds[i];
        int dim = ds[ax];
        long[] idx = indices.longs();
        int[] shape = new int[rank - 1 + indices.rank()];
        System.arraycopy(ds, 0, shape, 0, ax);
        System.arraycopy(indices.shape(), 0, shape, ax, indices.rank());
        System.arraycopy(ds, ax + 1, shape, ax + indices.rank(), rank - ax - 1);
        int[] from = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            long v = idx[k] < 0 ? idx[k] + dim : idx[k];
            if (v < 0 || v >= dim) {
                throw new OnnxFormatException(where + ": index " + idx[k] + " (entry " + k + ") out of range [0, "
                        + dim + ") on axis " + ax + " of " + data);
            }
            from[k] = (int) v;
        }
        int n = outer * idx.length * inner;
        if (data.isFloat()) {
            float[] src = data.floats(), out = new float[n];
            int o = 0;
            for (int i = 0; i < outer; i++) {
                for (int f : from) {
                    System.arraycopy(src, (i * dim + f) * inner, out, o, inner);
                    o += inner;
                }
            }
            return HostArray.ofFloats(out, shape);
        }
        long[] src = data.longs(), out = new long[n];
        int o = 0;
        for (int i = 0; i < outer; i++) {
            for (int f : from) {
                System.arraycopy(src, (i * dim + f) * inner, out, o, inner);
                o += inner;
            }
        }
        return HostArray.ofLongs(out, shape);
    }

    /** ONNX Concat along {@code axis}: every input has the same rank, element type and other dimensions. */
    static HostArray concat(HostArray[] parts, int axis, String where) {
        HostArray first = parts[0];
        int rank = first.rank();
        int ax = axis < 0 ? axis + rank : axis;
        if (ax < 0 || ax >= rank) throw new OnnxFormatException(where + ": axis " + axis + " out of range for " + first);
        int[] shape = first.shape().clone();
        shape[ax] = 0;
        for (HostArray p : parts) {
            if (p.rank() != rank || p.isFloat() != first.isFloat()) {
                throw new OnnxFormatException(where + ": input " + p + " does not match " + first);
            }
            for (int d = 0; d < rank; d++) {
                if (d != ax && p.shape()[d] != first.shape()[d]) {
                    throw new OnnxFormatException(where + ": input " + p + " does not match " + first + " off axis " + ax);
                }
            }
            shape[ax] += p.shape()[ax];
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < ax; i++) outer *= shape[i];
        for (int i = ax + 1; i < rank; i++) inner *= shape[i];
        int n = Math.toIntExact(HostArray.size(shape));
        Object out = first.isFloat() ? new float[n] : new long[n];
        int o = 0;
        for (int i = 0; i < outer; i++) {
            for (HostArray p : parts) {
                int block = p.shape()[ax] * inner;
                System.arraycopy(p.isFloat() ? p.floats() : p.longs(), i * block, out, o, block);
                o += block;
            }
        }
        return first.isFloat() ? HostArray.ofFloats((float[]) out, shape) : HostArray.ofLongs((long[]) out, shape);
    }

    /** ONNX Cast to float (1), int32 (6) or int64 (7); float to integer truncates toward zero. */
    static HostArray cast(HostArray x, long to, String where) {
        return switch ((int) to) {
            case 1 -> {
                if (x.isFloat()) yield x;
                long[] s = x.longs();
                float[] out = new float[s.length];
                for (int i = 0; i < s.length; i++) out[i] = s[i];
                yield HostArray.ofFloats(out, x.shape());
            }
            case 6, 7 -> {
                if (!x.isFloat()) yield x;
                float[] s = x.floats();
                long[] out = new long[s.length];
                for (int i = 0; i < s.length; i++) out[i] = (long) s[i];
                yield HostArray.ofLongs(out, x.shape());
            }
            default -> throw new OnnxFormatException(where + ": Cast to element type " + to
                    + " is not supported (float=1, int32=6, int64=7)");
        };
    }

    /** Element-wise e^x in fp32 (rounded from the double result). */
    static HostArray exp(HostArray x, String where) {
        if (!x.isFloat()) throw new OnnxFormatException(where + ": Exp needs a float input, got " + x);
        float[] s = x.floats(), out = new float[s.length];
        for (int i = 0; i < s.length; i++) out[i] = (float) Math.exp(s[i]);
        return HostArray.ofFloats(out, x.shape());
    }

    /** ONNX Unsqueeze: inserts a dimension of 1 at each axis (axes refer to the output rank). */
    static int[] unsqueezedShape(int[] shape, long[] axes, String where) {
        int rank = shape.length + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            long ax = a < 0 ? a + rank : a;
            if (ax < 0 || ax >= rank || inserted[(int) ax]) {
                throw new OnnxFormatException(where + ": Unsqueeze axis " + a + " invalid for output rank " + rank);
            }
            inserted[(int) ax] = true;
        }
        int[] out = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) out[i] = inserted[i] ? 1 : shape[j++];
        return out;
    }
}
