package org.proxynas.cuda;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.PoolChecks;
import org.proxynas.tensor.PoolChecks.Planes;
import org.proxynas.tensor.PoolKernels;
import org.proxynas.tensor.Tensor;

import static org.proxynas.cuda.Launches.flag;

/** The pools on CUDA (cuda/pool.cu), as {@code CpuPool} on the CPU: one thread per output (input for backwards). */
final class CudaPool implements PoolKernels {
    private final Launches l;

    CudaPool(Launches launches) { this.l = launches; }

    @Override public void maxPoolForward(Tensor x, Tensor y, ConvGeom g) {
        Planes p = PoolChecks.maxPoolForward(l.backend(), x, y, g);
        l.perThread("maxpool_forward_f32", (long) p.count() * p.ho() * p.wo(), l.ptr(x), l.ptr(y), (long) p.count(),
                p.h(), p.w(), p.ho(), p.wo(), g.kernel(), g.stride(), g.padding(), g.dilation());
    }

    @Override public void maxPoolBackward(Tensor x, Tensor dy, Tensor dx, ConvGeom g, boolean accumulate) {
        Planes p = PoolChecks.maxPoolBackward(l.backend(), x, dy, dx, g);
        // the CPU's stride-1 path sums a window's gradient before adding it to dx; the others add term by term
        l.perThread("maxpool_backward_f32", (long) p.count() * p.h() * p.w(), l.ptr(x), l.ptr(dy), l.ptr(dx),
                (long) p.count(), p.h(), p.w(), p.ho(), p.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(),
                flag(accumulate), flag(g.stride() == 1));
    }

    @Override public void avgPoolForward(Tensor x, Tensor y, ConvGeom g, boolean countIncludePad) {
        Planes p = PoolChecks.avgPoolForward(l.backend(), x, y, g);
        l.perThread("avgpool_forward_f32", (long) p.count() * p.ho() * p.wo(), l.ptr(x), l.ptr(y), (long) p.count(),
                p.h(), p.w(), p.ho(), p.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(), flag(countIncludePad));
    }

    @Override public void avgPoolBackward(Tensor dy, Tensor dx, ConvGeom g, boolean countIncludePad, boolean accumulate) {
        Planes p = PoolChecks.avgPoolBackward(l.backend(), dy, dx, g);
        l.perThread("avgpool_backward_f32", (long) p.count() * p.h() * p.w(), l.ptr(dy), l.ptr(dx), (long) p.count(),
                p.h(), p.w(), p.ho(), p.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(), flag(countIncludePad),
                flag(accumulate));
    }

    /** One block per (image, channel) plane, its threads sharing the plane's sum. */
    @Override public void globalAvgPoolForward(Tensor x, Tensor y) {
        PoolChecks.globalAvgPoolForward(l.backend(), x, y);
        long planes = (long) x.n() * x.c();
        l.perBlock("global_avgpool_forward_f32", planes, l.ptr(x), l.ptr(y), planes, x.plane());
    }

    @Override public void globalAvgPoolBackward(Tensor dy, Tensor dx, boolean accumulate) {
        PoolChecks.globalAvgPoolBackward(l.backend(), dy, dx);
        long planes = (long) dx.n() * dx.c();
        l.perThread("global_avgpool_backward_f32", planes * dx.plane(), l.ptr(dy), l.ptr(dx), planes, dx.plane(),
                flag(accumulate));
    }
}
