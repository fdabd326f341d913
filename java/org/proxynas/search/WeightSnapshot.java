package org.proxynas.search;

import org.proxynas.run.Checkpoint;

/**
 * An in-memory copy of the weight side of a search (weights, BN statistics, optimiser state, the training stream's
 * position, the step count), so a measurement can train the supernet and then put everything back.
 */
final class WeightSnapshot {
    private final PathEvaluator evaluator;
    private final Checkpoint saved = new Checkpoint();

    WeightSnapshot(PathEvaluator evaluator) {
        this.evaluator = evaluator;
        evaluator.save(saved);
    }

    void restore() { evaluator.load(saved); }
}
