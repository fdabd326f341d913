package org.proxynas.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.proxynas.rng.Rng;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.Relaxation;

class ArchitectureStepTest {

    /**
     * Entry 0 only (all other entries and gradients are 0, so they stay 0), default config lr 3e-4, betas (0.5,
     * 0.999), eps 1e-8, weight decay 1e-3. By hand:
     * step 1: p = 0.5, g = 0.2 + 1e-3*0.5 = 0.2005, m = 0.10025, v = 4.020025e-5, step size 3e-4/0.5 = 6e-4,
     *         denominator sqrt(v)/sqrt(0.001) + 1e-8 = 0.20050001, p = 0.5 - 6e-4*0.10025/0.20050001 = 0.49970000001;
     * step 2: g = -0.1 + 1e-3*0.4997 = -0.0995003, m = 3.7485e-4, v = 5.00603595e-5, step size 3e-4/0.75 = 4e-4,
     *         denominator sqrt(v)/sqrt(1-0.999^2) + 1e-8 = 0.15824894, p = 0.4997 - 9.4748e-7 = 0.49969905252.
     */
    @Test
    void scalarAdamStepsMatchHandComputation() {
        ArchitectureStep step = new ArchitectureStep();
        ArchParams alpha = ArchParams.zeros();
        alpha.flat()[0] = 0.5f;
        double[] g = new double[224];
        g[0] = 0.2;
        step.apply(alpha, g);
        assertEquals(0.49970000001, alpha.flat()[0], 1e-7);
        g[0] = -0.1;
        step.apply(alpha, g);
        assertEquals(0.49969905252, alpha.flat()[0], 1e-7);
        assertEquals(0f, alpha.flat()[1], 0f);
        assertEquals(2, step.stepCount());
        ArchitectureStep.State s = step.state();
        assertEquals(3.7485e-4, s.m()[0], 1e-9);
        assertEquals(5.00603595e-5, s.v()[0], 1e-11); // fp32 carries ~7 digits
    }

    /** A regressor stub whose gradient is fixed: the step must pass it on unchanged (no L2 term). */
    private static final class FixedGradient implements Regressor {
        final double[] grad;
        RelaxedArch seen;
        FixedGradient(double[] grad) { this.grad = grad; }
        @Override public String kind() { return "fixed"; }
        @Override public double[] predict(float[][] e) { return new double[e.length]; }
        @Override public double trainStep(float[][] e, double[] l) { return 0; }
        @Override public AlphaGradient alphaGradient(RelaxedArch arch) { seen = arch; return new AlphaGradient(0.7, grad.clone()); }
        @Override public void save(Path file) {}
        @Override public void load(Path file) {}
    }

    @Test
    void stepRelaxesWithTheGivenNoiseAndReturnsThePureGradient() {
        Rng rng = new Rng(1);
        ArchParams alpha = ArchParams.init(rng);
        ArchParams before = alpha.copy();
        GumbelNoise g = GumbelNoise.draw(rng);
        ArchParams scale = ArchParams.gaussian(rng, 1.0);
        double[] grad = new double[224];
        for (int i = 0; i < grad.length; i++) grad[i] = rng.nextGaussian();
        FixedGradient reg = new FixedGradient(grad);
        ArchitectureStep step = new ArchitectureStep();
        Relaxation relax = new Relaxation(0.1);
        ArchitectureStep.Result r = step.step(alpha, g, scale, relax, reg);
        assertEquals(relax.relax(before, g, scale), reg.seen, "relaxed at the pre-step α with g ⊙ s");
        assertArrayEquals(grad, r.gradient(), 0.0);
        assertEquals(0.49, r.objective(), 1e-12);
        // the first Adam step moves every entry by lr * sign(g + wd p) (|m|/sqrt(v) = 1 after bias correction)
        for (int i = 0; i < 224; i++) {
            double gi = grad[i] + 1e-3 * before.flat()[i];
            assertEquals(-3e-4 * Math.signum(gi), alpha.flat()[i] - before.flat()[i], 1e-8, "entry " + i);
        }
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        Rng rng = new Rng(2);
        ArchParams a = ArchParams.init(rng);
        ArchitectureStep s1 = new ArchitectureStep();
        double[] g = new double[224];
        for (int i = 0; i < g.length; i++) g[i] = rng.nextGaussian();
        s1.apply(a, g);
        ArchitectureStep s2 = new ArchitectureStep();
        s2.restore(s1.state());
        ArchParams b = a.copy();
        s1.apply(a, g);
        s2.apply(b, g);
        assertEquals(a, b);
        // the moments and the step count (bias correction) continue too, not only this step's result
        assertEquals(s1.stepCount(), s2.stepCount());
        assertArrayEquals(s1.state().m(), s2.state().m(), 0f);
        assertArrayEquals(s1.state().v(), s2.state().v(), 0f);
    }
}
