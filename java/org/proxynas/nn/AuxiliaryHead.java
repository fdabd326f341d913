package org.proxynas.nn;

import org.proxynas.tensor.ConvGeom;
import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * DARTS's CIFAR auxiliary head: ReLU, 5x5 avg pool stride 3 (padding excluded), 1x1 conv to 128, BN, ReLU,
 * 2x2 conv to 768, BN, ReLU, linear. The 2x2 conv assumes the 8x8 maps of 32x32 inputs; on smaller maps
 * (28x28 Fashion-MNIST gives 7x7, pooled to 1x1) its kernel shrinks to the pooled side.
 */
final class AuxiliaryHead {
    private final Net net;
    private final Sequential features;
    private final Linear classifier;
    private Tensor feat;

    AuxiliaryHead(Net net, int c, int side, int classes) {
        this.net = net;
        int pooled = (side - 5) / 3 + 1;
        if (side < 5) throw new IllegalArgumentException("auxiliary head needs maps of at least 5x5, got " + side);
        int k = Math.min(2, pooled);
        features = new Sequential(net,
                new Relu(net),
                Pool.avg(net, ConvGeom.of(5, 3, 0), false),
                new Conv(net, "aux.conv1", c, 128, ConvGeom.of(1, 1, 0)),
                new BatchNorm(net, "aux.bn1", 128, true),
                new Relu(net),
                new Conv(net, "aux.conv2", 128, 768, ConvGeom.of(k, 1, 0)),
                new BatchNorm(net, "aux.bn2", 768, true),
                new Relu(net));
        classifier = new Linear(net, "aux.classifier", 768, classes, true);
    }

    Tensor forward(Tensor x) {
        feat = features.forward(x);
        if (feat.h() != 1 || feat.w() != 1) throw new IllegalStateException("auxiliary features must be 1x1, got " + feat);
        return classifier.forward(feat.reshape(feat.n(), 768));
    }

    void backward(Tensor dlogits, Tensor dx) {
        Tensor dfeat = net.ws().take(feat.shape());
        classifier.backward(dlogits, dfeat.reshape(feat.n(), 768), false);
        features.backward(dfeat, dx, true);
        net.ws().give(dfeat);
    }

    void collectParams(List<Param> out) { features.collectParams(out); classifier.collectParams(out); }

    void collectBuffers(List<NamedTensor> out) { features.collectBuffers(out); }

    void release() { features.release(); classifier.release(); feat = null; }
}
