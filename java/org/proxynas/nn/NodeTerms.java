package org.proxynas.nn;

import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The weighted terms of one node sum: op outputs, each with the batch statistics to normalise it by where its op
 * deferred its batch norm ({@link DeferredNorm}), or none where the output is final. The sum is one
 * {@link Kernels#bnWeightedSum} call.
 */
final class NodeTerms {
    private final List<Tensor> xs = new ArrayList<>(), means = new ArrayList<>(), invStds = new ArrayList<>();
    private final List<Float> weights = new ArrayList<>();

    /** A final output, weighted. */
    void add(Tensor x, float weight) { add(x, null, null, weight); }

    /** An output to normalise with mean and invStd (both null: final), weighted. */
    void add(Tensor x, Tensor mean, Tensor invStd, float weight) {
        xs.add(x);
        means.add(mean);
        invStds.add(invStd);
        weights.add(weight);
    }

    void clear() {
        xs.clear();
        means.clear();
        invStds.clear();
        weights.clear();
    }

    int size() { return xs.size(); }

    Tensor[] xs() { return xs.toArray(Tensor[]::new); }

    Tensor[] means() { return means.toArray(Tensor[]::new); }

    Tensor[] invStds() { return invStds.toArray(Tensor[]::new); }

    float[] weights() {
        float[] a = new float[weights.size()];
        for (int i = 0; i < a.length; i++) a[i] = weights.get(i);
        return a;
    }

    /** node := the weighted sum of the terms (zero when there are none). */
    void sumInto(Kernels k, Tensor node) {
        if (xs.isEmpty()) k.fill(node, 0f);
        else k.bnWeightedSum(xs(), means(), invStds(), weights(), node, false);
    }
}
