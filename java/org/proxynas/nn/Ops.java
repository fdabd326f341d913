package org.proxynas.nn;

import org.proxynas.tensor.ConvGeom;

/**
 * The DARTS operations (docs/method.md#search-space), built from layers. Op indices follow the primitive order:
 * 0 none, 1 max_pool_3x3, 2 avg_pool_3x3, 3 skip_connect, 4 sep_conv_3x3, 5 sep_conv_5x5, 6 dil_conv_3x3,
 * 7 dil_conv_5x5.
 */
public final class Ops {
    public static final int NONE = 0, MAX_POOL = 1, AVG_POOL = 2, SKIP = 3, SEP3 = 4, SEP5 = 5, DIL3 = 6, DIL5 = 7;
    public static final int COUNT = 8;

    private Ops() {}

    /**
     * One operation on C channels. supernet = true adds the affine-free BN after pools, as the DARTS search
     * network does; affine selects BN with gamma/beta (evaluation network).
     */
    public static Layer create(Net net, String name, int op, int c, int stride, boolean affine, boolean supernet) {
        return switch (op) {
            case NONE -> new Zero(net, stride);
            case MAX_POOL -> poolWithBn(net, name, Pool.max(net, ConvGeom.of(3, stride, 1)), c, affine, supernet);
            case AVG_POOL -> poolWithBn(net, name, Pool.avg(net, ConvGeom.of(3, stride, 1), false), c, affine, supernet);
            case SKIP -> stride == 1 ? new Identity(net) : new FactorizedReduce(net, name, c, c, affine);
            case SEP3 -> fused(supernet, affine) ? new SepConv(net, name, c, 3, stride, 1) : sepConv(net, name, c, 3, stride, 1, affine);
            case SEP5 -> fused(supernet, affine) ? new SepConv(net, name, c, 5, stride, 2) : sepConv(net, name, c, 5, stride, 2, affine);
            case DIL3 -> fused(supernet, affine) ? fusedDilConv(net, name, c, 3, stride, 2) : dilConv(net, name, c, 3, stride, 2, affine);
            case DIL5 -> fused(supernet, affine) ? fusedDilConv(net, name, c, 5, stride, 4) : dilConv(net, name, c, 5, stride, 4, affine);
            default -> throw new IllegalArgumentException("op index must be in [0, 8), got " + op);
        };
    }

    /**
     * The supernet's conv ops (affine-free batch norm) run on the fused kernels, which defer their last batch norm to
     * the node sum; the evaluation network's (affine) keep the layer-by-layer chain.
     */
    private static boolean fused(boolean supernet, boolean affine) { return supernet && !affine; }

    /** ReLU, dilated depthwise k (dilation 2, stride), 1x1, affine-free BN on the fused kernels. */
    private static Layer fusedDilConv(Net net, String name, int c, int k, int stride, int pad) {
        return new ReluDwPwBn(net, name + ".dw", name + ".pw", name + ".bn", c, new ConvGeom(k, stride, pad, 2));
    }

    private static Layer poolWithBn(Net net, String name, Pool pool, int c, boolean affine, boolean supernet) {
        return supernet ? new Sequential(net, pool, new BatchNorm(net, name + ".bn", c, false)) : pool;
    }

    /** ReLU, depthwise k (stride), 1x1, BN, ReLU, depthwise k, 1x1, BN. */
    static Layer sepConv(Net net, String name, int c, int k, int stride, int pad, boolean affine) {
        return new Sequential(net,
                new Relu(net),
                new DepthwiseConv(net, name + ".dw1", c, new ConvGeom(k, stride, pad, 1)),
                new PointwiseConv(net, name + ".pw1", c, c),
                new BatchNorm(net, name + ".bn1", c, affine),
                new Relu(net),
                new DepthwiseConv(net, name + ".dw2", c, new ConvGeom(k, 1, pad, 1)),
                new PointwiseConv(net, name + ".pw2", c, c),
                new BatchNorm(net, name + ".bn2", c, affine));
    }

    /** ReLU, dilated depthwise k (dilation 2, stride), 1x1, BN. */
    static Layer dilConv(Net net, String name, int c, int k, int stride, int pad, boolean affine) {
        return new Sequential(net,
                new Relu(net),
                new DepthwiseConv(net, name + ".dw", c, new ConvGeom(k, stride, pad, 2)),
                new PointwiseConv(net, name + ".pw", c, c),
                new BatchNorm(net, name + ".bn", c, affine));
    }

    /** The cell preprocessing: ReLU, 1x1 conv, BN. */
    public static Layer reluConvBn(Net net, String name, int cin, int cout, boolean affine) {
        return new Sequential(net, new Relu(net), new PointwiseConv(net, name + ".conv", cin, cout), new BatchNorm(net, name + ".bn", cout, affine));
    }
}
