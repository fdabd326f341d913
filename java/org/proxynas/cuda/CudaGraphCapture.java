package org.proxynas.cuda;

import org.proxynas.tensor.GraphCapture;
import org.proxynas.tensor.StepKernels;
import org.proxynas.tensor.Tensor;

import java.util.List;

/** The CUDA backend's {@link GraphCapture}: CUDA graphs ({@link CudaBackend#capture}) and {@link GraphStepKernels}. */
final class CudaGraphCapture implements GraphCapture {
    private final CudaBackend backend;

    CudaGraphCapture(CudaBackend backend) { this.backend = backend; }

    @Override public String name() { return "CUDA graphs"; }

    @Override
    public Graph capture(Runnable body) {
        try {
            return backend.capture(body);
        } catch (CudaException e) {
            if (e.refusedByCapture()) throw new RefusedException(e.getMessage(), e);
            throw e;
        }
    }

    @Override public StepKernels stepKernels() { return new Steps(new GraphStepKernels(backend)); }

    /** GraphStepKernels behind the backend-neutral interface. */
    private record Steps(GraphStepKernels k) implements StepKernels {
        private record CudaTable(GraphStepKernels.ParamTable table) implements ParamTable {}

        private record CudaTotals(GraphStepKernels.LossTotals totals) implements LossTotals {
            @Override
            public Totals read() {
                GraphStepKernels.Read r = totals.read();
                return new Totals(r.lossSum(), r.correct(), r.count(), r.steps(), r.firstNonFinite());
            }

            @Override public void reset() { totals.reset(); }
        }

        @Override
        public ParamTable table(List<Tensor> values, List<Tensor> grads, List<Tensor> momenta) {
            return new CudaTable(k.table(values, grads, momenta));
        }

        @Override public void zeroGrads(ParamTable table) { k.zeroGrads(own(table)); }

        @Override public void clipCoefficient(ParamTable table, double maxNorm, Tensor coef) { k.clipCoefficient(own(table), maxNorm, coef); }

        @Override
        public void sgdStep(ParamTable table, Tensor lr, Tensor coef, float momentum, float weightDecay) {
            k.sgdStep(own(table), lr, coef, momentum, weightDecay);
        }

        @Override public LossTotals lossTotals(int batch) { return new CudaTotals(k.lossTotals(batch)); }

        @Override
        public void softmaxCrossEntropy(Tensor logits, Tensor labels, Tensor dlogits, LossTotals totals) {
            if (!(totals instanceof CudaTotals t)) {
                throw new IllegalArgumentException("loss totals were not made by the CUDA backend's step kernels");
            }
            k.softmaxCrossEntropy(logits, labels, dlogits, t.totals());
        }

        @Override public Tensor scalar(float value) { return k.scalar(value); }

        private static GraphStepKernels.ParamTable own(ParamTable table) {
            if (!(table instanceof CudaTable t)) {
                throw new IllegalArgumentException("parameter table was not made by the CUDA backend's step kernels");
            }
            return t.table();
        }
    }
}
