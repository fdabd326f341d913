package org.proxynas.cuda;

import org.junit.jupiter.api.Test;


/**
 * cuda/dense.cu (linear layers, batchedMatMul in all transpose combinations, the LSTM cell, dropout) under emulation
 * against the CPU reference (CpuDense, CpuElementwise). Inner dimensions include multiples of four and remainders
 * (the CPU's four-term grouping).
 *
 * <p>Tolerances. Products, bias sums and dropout: <b>bit-exact</b>: each output element adds the same fp32 products
 * in the same groups and order as CpuDense (no FMA), the bias column sums are the same double sums rounded once,
 * and the dropout mask is the same splitmix64 hash. LSTM cell: <b>1e-6 relative + 1e-7 absolute</b>: tanh and the
 * sigmoid's exp are the device's double functions (within 2 ulp in double) rounded once to float, so a gate can
 * differ from the CPU's by one float ulp (6e-8 relative), which the few fp32 products after it carry.
 */
class EmulatedDenseConformanceTest extends EmulatedSpatialChecks {

    @Test
    void linearMatches() {
        for (int[] s : new int[][]{{3, 5, 4}, {2, 8, 7}, {5, 1, 3}, {4, 13, 9}}) {
            int n = s[0], in = s[1], out = s[2];
            String what = " n=" + n + " in=" + in + " out=" + out;
            compare("linearForward" + what, new int[][]{{n, in}, {out, in}, {out}, {n, out}}, Values.GAUSSIAN, 0, 0,
                    (k, t) -> k.linearForward(t[0], t[1], t[2], t[3]));
            compare("linearForward no bias" + what, new int[][]{{n, in}, {out, in}, {n, out}}, Values.GAUSSIAN, 0, 0,
                    (k, t) -> k.linearForward(t[0], t[1], null, t[2]));
            for (boolean acc : new boolean[]{false, true}) {
                compare("linearBackwardData acc=" + acc + what, new int[][]{{n, out}, {out, in}, {n, in}}, Values.GAUSSIAN,
                        0, 0, (k, t) -> k.linearBackwardData(t[0], t[1], t[2], acc));
            }
            compare("linearBackwardParams" + what, new int[][]{{n, in}, {n, out}, {out, in}, {out}}, Values.GAUSSIAN, 0, 0,
                    (k, t) -> k.linearBackwardParams(t[0], t[1], t[2], t[3]));
            compare("linearBackwardParams no db" + what, new int[][]{{n, in}, {n, out}, {out, in}}, Values.GAUSSIAN, 0, 0,
                    (k, t) -> k.linearBackwardParams(t[0], t[1], t[2], null));
        }
    }

    @Test
    void batchedMatMulMatches() {
        int batches = 2, m = 3, kk = 6, n = 5;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                int[] a = ta ? new int[]{batches, kk, m} : new int[]{batches, m, kk};
                int[] b = tb ? new int[]{batches, n, kk} : new int[]{batches, kk, n};
                for (boolean acc : new boolean[]{false, true}) {
                    compare("batchedMatMul ta=" + ta + " tb=" + tb + " acc=" + acc, new int[][]{a, b, {batches, m, n}},
                            Values.GAUSSIAN, 0, 0, (k, t) -> k.batchedMatMul(t[0], t[1], t[2], ta, tb, acc));
                }
            }
        }
        // c may be b (square, so the shapes agree): the CPU reads b from a copy
        compare("batchedMatMul c = b", new int[][]{{2, 4, 4}, {2, 4, 4}}, Values.GAUSSIAN, 0, 0,
                (k, t) -> k.batchedMatMul(t[0], t[1], t[1], false, true, true));
    }

    @Test
    void lstmCellMatches() {
        for (int[] s : new int[][]{{3, 5}, {1, 1}, {4, 70}}) {
            int n = s[0], h = s[1];
            compare("lstmCellForward " + n + "x" + h, new int[][]{{n, 4 * h}, {n, h}, {n, 4 * h}, {n, h}, {n, h}},
                    Values.GAUSSIAN, 1e-6, 1e-7, (k, t) -> k.lstmCellForward(t[0], t[1], t[2], t[3], t[4]));
            compare("lstmCellForward in place " + n + "x" + h, new int[][]{{n, 4 * h}, {n, h}, {n, h}},
                    Values.GAUSSIAN, 1e-6, 1e-7, (k, t) -> k.lstmCellForward(t[0], t[1], t[0], t[1], t[2]));
            for (boolean last : new boolean[]{false, true}) {
                // act from a real forward pass (gates t[0] -> act t[1]), so the gates lie in their ranges
                compare("lstmCellBackward " + n + "x" + h + " last=" + last,
                        new int[][]{{n, 4 * h}, {n, 4 * h}, {n, h}, {n, h}, {n, h}, {n, h}, {n, 4 * h}, {n, h}, {n, h}},
                        Values.GAUSSIAN, 1e-6, 1e-7, (k, t) -> {
                            k.lstmCellForward(t[0], t[2], t[1], t[3], t[8]);
                            k.lstmCellBackward(t[1], t[2], t[3], t[4], last ? null : t[5], t[6], t[7]);
                        });
            }
        }
    }

    @Test
    void dropoutMasksMatchBitForBit() {
        for (float p : new float[]{0f, 0.2f, 0.5f, 0.9f}) {
            for (long seed : new long[]{0L, 42L, -7L, Long.MIN_VALUE}) {
                compare("dropout p=" + p + " seed=" + seed, new int[][]{{3, 4, 9, 11}, {3, 4, 9, 11}, {3, 4, 9, 11}},
                        Values.GAUSSIAN, 0, 0, (k, t) -> k.dropout(t[0], t[1], t[2], p, seed));
                compare("dropout in place p=" + p + " seed=" + seed, new int[][]{{7, 13}, {7, 13}},
                        Values.GAUSSIAN, 0, 0, (k, t) -> k.dropout(t[0], t[0], t[1], p, seed));
            }
        }
    }

}
