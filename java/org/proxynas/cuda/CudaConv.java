package org.proxynas.cuda;

import org.proxynas.tensor.ConvChecks;
import org.proxynas.tensor.ConvChecks.Conv;
import org.proxynas.tensor.ConvChecks.Pointwise;
import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.ConvKernels;
import org.proxynas.tensor.Tensor;

import static org.proxynas.cuda.Launches.flag;

/**
 * The convolutions on CUDA (cuda/conv.cu), as {@code CpuConv} on the CPU: depthwise, pointwise and dense (groups 1).
 * Forwards and data gradients run one thread per output element; filter gradients one block per weight, its
 * threads sharing the sum over the batch.
 */
final class CudaConv implements ConvKernels {
    private final Launches l;

    CudaConv(Launches launches) { this.l = launches; }

    @Override public void depthwiseConvForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        Conv s = ConvChecks.depthwiseConvForward(l.backend(), x, w, y, g);
        long planes = (long) s.n() * s.cin();
        l.perThread("dwconv_forward_f32", planes * s.ho() * s.wo(), l.ptr(x), l.ptr(w), l.ptr(y), planes, s.cin(),
                s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(), g.dilation());
    }

    @Override public void depthwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        Conv s = ConvChecks.depthwiseConvBackwardData(l.backend(), dy, w, dx, g);
        long planes = (long) s.n() * s.cin();
        l.perThread("dwconv_backward_data_f32", planes * s.h() * s.w(), l.ptr(dy), l.ptr(w), l.ptr(dx), planes,
                s.cin(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(), g.dilation(),
                flag(accumulate));
    }

    @Override public void depthwiseConvBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        Conv s = ConvChecks.depthwiseConvBackwardFilter(l.backend(), x, dy, dw, g);
        l.perBlock("dwconv_backward_filter_f32", (long) s.cin() * g.kernel() * g.kernel(), l.ptr(x), l.ptr(dy),
                l.ptr(dw), s.n(), s.cin(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(),
                g.dilation());
    }

    @Override public void pointwiseConvForward(Tensor x, Tensor w, Tensor y, int stride, int offset) {
        Pointwise s = ConvChecks.pointwiseConvForward(l.backend(), x, w, y, stride, offset);
        l.perThread("pwconv_forward_f32", (long) s.n() * s.cout() * s.ho() * s.wo(), l.ptr(x), l.ptr(w), l.ptr(y),
                s.n(), s.cin(), s.cout(), s.h(), s.w(), s.ho(), s.wo(), stride, offset);
    }

    @Override public void pointwiseConvBackwardData(Tensor dy, Tensor w, Tensor dx, int stride, int offset, boolean accumulate) {
        Pointwise s = ConvChecks.pointwiseConvBackwardData(l.backend(), dy, w, dx, stride, offset);
        l.perThread("pwconv_backward_data_f32", (long) s.n() * s.cin() * s.h() * s.w(), l.ptr(dy), l.ptr(w),
                l.ptr(dx), s.n(), s.cin(), s.cout(), s.h(), s.w(), s.ho(), s.wo(), stride, offset, flag(accumulate));
    }

    @Override public void pointwiseConvBackwardWeight(Tensor x, Tensor dy, Tensor dw, int stride, int offset) {
        Pointwise s = ConvChecks.pointwiseConvBackwardWeight(l.backend(), x, dy, dw, stride, offset);
        l.perBlock("pwconv_backward_weight_f32", (long) s.cout() * s.cin(), l.ptr(x), l.ptr(dy), l.ptr(dw), s.n(),
                s.cin(), s.cout(), s.h(), s.w(), s.ho(), s.wo(), stride, offset);
    }

    @Override public void convForward(Tensor x, Tensor w, Tensor y, ConvGeom g) {
        Conv s = ConvChecks.convForward(l.backend(), x, w, y, g);
        l.perThread("conv_forward_f32", (long) s.n() * s.cout() * s.ho() * s.wo(), l.ptr(x), l.ptr(w), l.ptr(y),
                s.n(), s.cin(), s.cout(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(),
                g.dilation());
    }

    @Override public void convBackwardData(Tensor dy, Tensor w, Tensor dx, ConvGeom g, boolean accumulate) {
        Conv s = ConvChecks.convBackwardData(l.backend(), dy, w, dx, g);
        l.perThread("conv_backward_data_f32", (long) s.n() * s.cin() * s.h() * s.w(), l.ptr(dy), l.ptr(w), l.ptr(dx),
                s.n(), s.cin(), s.cout(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(), g.padding(),
                g.dilation(), flag(accumulate));
    }

    @Override public void convBackwardFilter(Tensor x, Tensor dy, Tensor dw, ConvGeom g) {
        Conv s = ConvChecks.convBackwardFilter(l.backend(), x, dy, dw, g);
        l.perBlock("conv_backward_filter_f32", (long) s.cout() * s.cin() * g.kernel() * g.kernel(), l.ptr(x),
                l.ptr(dy), l.ptr(dw), s.n(), s.cin(), s.cout(), s.h(), s.w(), s.ho(), s.wo(), g.kernel(), g.stride(),
                g.padding(), g.dilation());
    }
}
