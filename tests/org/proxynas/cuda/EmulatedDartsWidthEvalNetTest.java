package org.proxynas.cuda;

/**
 * Issue 12 item 4: {@link CudaEvalNetChecks} at C = 36 with the fewest cells that still reach every width, L = 3
 * (cell 0 normal at 36 channels, cells 1 and 2 reductions to 72 and 144, the auxiliary head after cell 2 on 5x5
 * maps of 20x20 images), under emulation. {@link EmulatedDartsEvalNetTest} runs the full L = 20.
 *
 * <p>Opt-in like it ({@code -Dproxynas.emu.dartsWidth=true}): 50 s with the machine's 2 cores shared with a long
 * experiment (load about 3), 83 s at load 4 to 6, too long for the suite (a profile: nine tenths in the
 * filter-gradient kernels, which run a block of 256 emulated threads per weight, 20,736 per 144-channel pointwise
 * conv and 98,304 for the auxiliary head's second conv, four times that at 32x32, which took 234 s at load 7 to 14).
 * {@link EmulatedRetrainTest} runs the evaluation network tiny (C = 2) in the suite.
 *
 * <p>Gradient tolerance <b>2e-3</b>: the CPU's own response to the one-ulp input change is at most 2.4e-4 per
 * tensor here (32x32); observed on the emulation at most 2.2e-4. Passed when added.
 */
class EmulatedDartsWidthEvalNetTest extends CudaEvalNetChecks {
    @Override
    CudaBackend createCuda() { return EmulatedDartsWidthSuperNetTest.optIn("the L = 3, C = 36 evaluation network under emulation takes over a minute"); }

    @Override int layers() { return 3; }

    @Override int side() { return 20; }

    @Override double gradientTolerance() { return 2e-3; }
}
