package org.proxynas.train;

import org.proxynas.data.Batch;
import org.proxynas.data.BatchLoader;
import org.proxynas.run.ProgressBar;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

import java.util.function.Function;

/** Mean cross-entropy and top-1 accuracy of a network over one pass of an evaluation loader. */
public final class Evaluator {
    private Evaluator() {}

    /** forward maps a batch of images to logits; the loader's epoch is advanced by one. */
    public static LossStats evaluate(Backend backend, BatchLoader loader, Function<Tensor, Tensor> forward, String label) {
        loader.beginEpoch();
        int c = loader.data().set().channels(), h = loader.data().set().height(), w = loader.data().set().width();
        Tensor images = null, labels = null;
        double lossSum = 0;
        int correct = 0, count = 0;
        ProgressBar bar = label == null ? null : ProgressBar.stderr(label, loader.size(), "img");
        while (loader.hasNext()) {
            Batch b = loader.next();
            if (images == null || images.n() != b.size()) {
                images = backend.allocate(b.size(), c, h, w);
                labels = backend.allocate(b.size());
            }
            loader.load(b, images, labels);
            LossStats s = backend.kernels().softmaxCrossEntropy(forward.apply(images), labels, null, 1f);
            lossSum += s.loss() * s.count();
            correct += s.correct();
            count += s.count();
            if (bar != null) bar.update(count);
        }
        return new LossStats(count == 0 ? Double.NaN : lossSum / count, correct, count);
    }
}
