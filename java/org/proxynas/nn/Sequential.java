package org.proxynas.nn;

import org.proxynas.tensor.Tensor;

import java.util.List;

/**
 * A chain of layers. Backward passes gradients through workspace buffers, so only the chain's input gradient
 * is the caller's. In eval mode each intermediate output is released once the next layer has consumed it.
 */
public final class Sequential implements Layer {
    private final Net net;
    private final Layer[] layers;
    private final int[][] inShapes;

    public Sequential(Net net, Layer... layers) {
        this.net = net;
        this.layers = layers;
        this.inShapes = new int[layers.length][];
    }

    @Override public Tensor forward(Tensor x) {
        Tensor cur = x;
        for (int i = 0; i < layers.length; i++) {
            inShapes[i] = cur.shape();
            Tensor next = layers[i].forward(cur);
            if (!net.keepsActivations() && i > 0 && next != cur) layers[i - 1].release();
            cur = next;
        }
        return cur;
    }

    @Override public void backward(Tensor dy, Tensor dx, boolean accumulate) {
        Tensor grad = dy;
        for (int i = layers.length - 1; i > 0; i--) {
            Tensor gin = net.ws().take(inShapes[i]);
            layers[i].backward(grad, gin, false);
            if (grad != dy) net.ws().give(grad);
            grad = gin;
        }
        layers[0].backward(grad, dx, accumulate);
        if (grad != dy) net.ws().give(grad);
    }

    @Override public int[] outShape(int[] in) {
        int[] s = in;
        for (Layer l : layers) s = l.outShape(s);
        return s;
    }

    @Override public void collectParams(List<Param> out) { for (Layer l : layers) l.collectParams(out); }

    @Override public void collectBuffers(List<NamedTensor> out) { for (Layer l : layers) l.collectBuffers(out); }

    @Override public void release() { for (Layer l : layers) l.release(); }
}
