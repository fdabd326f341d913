package org.proxynas.nn;

import org.proxynas.tensor.Kernels;
import org.proxynas.tensor.Tensor;
import org.proxynas.tensor.TermWeights;

import java.util.ArrayList;
import java.util.List;

/**
 * The weighted terms of one node sum: op outputs, each with the batch statistics to normalise it by where its op
 * deferred its batch norm ({@link DeferredNorm}), or none where the output is final. The weights are fixed values or,
 * in a supernet's mixture mode, slots of its mixture-weight tensor ({@link CellArch}); one sum does not mix the two.
 * The sum is one {@link Kernels#bnWeightedSum} call.
 */
final class NodeTerms {
    private final List<Tensor> xs = new ArrayList<>(), means = new ArrayList<>(), invStds = new ArrayList<>();
    private final List<Float> fixed = new ArrayList<>();
    private final List<Integer> slots = new ArrayList<>();
    /** The tensor the slots index; null while the terms have fixed weights. */
    private Tensor stored;

    /** A final output, weighted. */
    void add(Tensor x, float weight) { add(x, null, null, weight); }

    /** An output to normalise with mean and invStd (both null: final), weighted. */
    void add(Tensor x, Tensor mean, Tensor invStd, float weight) {
        if (stored != null) throw new IllegalStateException("a node sum with stored weights got a fixed weight");
        addTerm(x, mean, invStd);
        fixed.add(weight);
    }

    /** An output to normalise with mean and invStd (both null: final), weighted by weights[slot] when the sum runs. */
    void add(Tensor x, Tensor mean, Tensor invStd, Tensor weights, int slot) {
        if (!fixed.isEmpty() || (stored != null && stored != weights)) {
            throw new IllegalStateException("a node sum takes its weights from one place, got another for term " + xs.size());
        }
        addTerm(x, mean, invStd);
        stored = weights;
        slots.add(slot);
    }

    private void addTerm(Tensor x, Tensor mean, Tensor invStd) {
        xs.add(x);
        means.add(mean);
        invStds.add(invStd);
    }

    void clear() {
        xs.clear();
        means.clear();
        invStds.clear();
        fixed.clear();
        slots.clear();
        stored = null;
    }

    int size() { return xs.size(); }

    Tensor[] xs() { return xs.toArray(Tensor[]::new); }

    Tensor[] means() { return means.toArray(Tensor[]::new); }

    Tensor[] invStds() { return invStds.toArray(Tensor[]::new); }

    /** The terms' weights; stored weights with grads (nullable) as their gradient accumulator. */
    TermWeights weights(Tensor grads) {
        if (stored != null) return TermWeights.stored(stored, slots.stream().mapToInt(Integer::intValue).toArray(), grads);
        float[] a = new float[fixed.size()];
        for (int i = 0; i < a.length; i++) a[i] = fixed.get(i);
        return TermWeights.of(a);
    }

    /** node := the weighted sum of the terms (zero when there are none). */
    void sumInto(Kernels k, Tensor node) {
        if (xs.isEmpty()) k.fill(node, 0f);
        else k.bnWeightedSum(xs(), means(), invStds(), weights(null), node, false);
    }
}
