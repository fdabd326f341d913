package org.proxynas.proxy;

import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;
import org.proxynas.space.RelaxedArch;
import org.proxynas.space.Relaxation;

/**
 * The architecture update of docs/method.md#proxy: one Adam step on the 224 α floats minimising J(α) = ŷ(Ã(α; g))²
 * through a regressor, with g the (OIW-scaled) noise of the last sample, not redrawn. Host-side PyTorch Adam in
 * fp32 (default lr 3e-4, betas (0.5, 0.999), eps 1e-8, L2 weight decay 1e-3 added to the gradient). The step
 * returns the pure gradient of J (without the L2 term), which is what {@link Oiw} consumes. Its state (m, v,
 * step) is checkpointable.
 */
public final class ArchitectureStep {

    /** Checkpoint state. */
    public record State(float[] m, float[] v, int step) {
        public State {
            if (m.length != ArchParams.SIZE || v.length != ArchParams.SIZE) {
                throw new IllegalArgumentException("Adam moments must have " + ArchParams.SIZE + " entries");
            }
            if (step < 0) throw new IllegalArgumentException("step must be >= 0, got " + step);
            m = m.clone();
            v = v.clone();
        }

        @Override public float[] m() { return m.clone(); }
        @Override public float[] v() { return v.clone(); }
    }

    /**
     * What one step saw.
     *
     * @param prediction ŷ before the update
     * @param gradient   dJ/dα before the update, without weight decay (224, {@link ArchParams} layout)
     */
    public record Result(double prediction, double[] gradient) {
        public double objective() { return prediction * prediction; }
    }

    private final AdamConfig config;
    private final float[] m = new float[ArchParams.SIZE], v = new float[ArchParams.SIZE];
    private int step;

    public ArchitectureStep() { this(AdamConfig.alphaDefault()); }

    public ArchitectureStep(AdamConfig config) {
        if (config == null) throw new IllegalArgumentException("config must not be null");
        this.config = config;
    }

    public AdamConfig config() { return config; }

    public int stepCount() { return step; }

    /**
     * Relaxes α with {@code noise} (scaled by {@code scale}, null = 1), takes dJ/dα from the regressor and updates
     * α in place.
     */
    public Result step(ArchParams alpha, GumbelNoise noise, ArchParams scale, Relaxation relaxation, Regressor regressor) {
        RelaxedArch arch = relaxation.relax(alpha, noise, scale);
        Regressor.AlphaGradient g = regressor.alphaGradient(arch);
        apply(alpha, g.gradient());
        return new Result(g.prediction(), g.gradient());
    }

    /** One Adam update of α in place from the gradient of J (the L2 term is added here). */
    public void apply(ArchParams alpha, double[] grad) {
        if (grad.length != ArchParams.SIZE) {
            throw new IllegalArgumentException("gradient must have " + ArchParams.SIZE + " entries, got " + grad.length);
        }
        for (double g : grad) if (!Double.isFinite(g)) throw new IllegalArgumentException("non-finite α gradient: " + g);
        step++;
        // Scalars as PyTorch forms them: in double, then rounded to fp32 once (so 1 - 0.999 is 0.001f, not
        // 1f - 0.999f).
        float beta1 = (float) config.beta1(), beta2 = (float) config.beta2(), eps = (float) config.eps();
        float oneMinusB1 = (float) (1 - config.beta1()), oneMinusB2 = (float) (1 - config.beta2());
        float wd = (float) config.weightDecay();
        float stepSize = (float) (config.lr() / (1 - Math.pow(config.beta1(), step)));
        float bias2Sqrt = (float) Math.sqrt(1 - Math.pow(config.beta2(), step));
        float[] p = alpha.flat();
        for (int i = 0; i < p.length; i++) {
            float gi = (float) grad[i] + wd * p[i];
            m[i] = beta1 * m[i] + oneMinusB1 * gi;
            v[i] = beta2 * v[i] + oneMinusB2 * gi * gi;
            p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) / bias2Sqrt + eps);
        }
    }

    public State state() { return new State(m, v, step); }

    public void restore(State s) {
        System.arraycopy(s.m(), 0, m, 0, m.length);
        System.arraycopy(s.v(), 0, v, 0, v.length);
        step = s.step();
    }
}
