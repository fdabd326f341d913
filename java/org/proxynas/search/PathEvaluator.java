package org.proxynas.search;

import org.proxynas.run.Checkpoint;
import org.proxynas.space.SampledPath;
import org.proxynas.tensor.LossStats;

import java.util.function.IntConsumer;

/**
 * The weight side of a single-path search as the search loop sees it: train the shared weights on a sampled
 * path, measure a path's validation loss, and checkpoint that state. {@link SupernetRunner} is the real one;
 * tests plant landscapes whose validation loss is a known function of the path.
 */
public interface PathEvaluator {
    SupernetRunner.TrainStats trainPath(SampledPath path, float lr, IntConsumer progress);

    LossStats validate(SampledPath path);

    /** Images one training sample consumes (for progress bars). */
    int trainImagesPerSample();

    /** Weight steps taken so far. */
    int steps();

    void save(Checkpoint c);

    void load(Checkpoint c);
}
