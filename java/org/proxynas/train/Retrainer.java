package org.proxynas.train;

import org.proxynas.data.AugmentOptions;
import org.proxynas.data.Batch;
import org.proxynas.data.BatchLoader;
import org.proxynas.data.Dataset;
import org.proxynas.data.DeviceImages;
import org.proxynas.nn.EvalNet;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.run.MetricsLog;
import org.proxynas.run.ProgressBar;
import org.proxynas.space.Genotype;
import org.proxynas.tensor.Backend;
import org.proxynas.tensor.LossStats;
import org.proxynas.tensor.Tensor;

import java.util.Locale;

/**
 * Trains a derived genotype from scratch (DARTS train.py): SGD with momentum, cosine learning rate to zero,
 * gradient clipping, auxiliary loss, drop-path ramped linearly over the epochs, cutout; evaluates on the test
 * set after every epoch.
 */
public final class Retrainer {
    public record Result(double testLoss, double testAccuracy, double trainLoss, double trainAccuracy, long parameters, double seconds) {}

    private final Backend backend;
    private final MetricsLog metrics;

    public Retrainer(Backend backend, MetricsLog metrics) {
        this.backend = backend;
        this.metrics = metrics;
    }

    public Result train(Genotype genotype, Dataset data, EvalNetConfig netConfig, RetrainConfig cfg) {
        long start = System.nanoTime();
        Rng rng = new Rng(cfg.seed());
        EvalNet net = new EvalNet(backend, netConfig, genotype, data.height(), rng.split());
        var trainSet = cfg.trainFraction() < 1 ? data.train().range("train", 0, Math.max(cfg.batch(), (int) (data.train().size() * cfg.trainFraction()))) : data.train();
        DeviceImages trainImages = DeviceImages.upload(backend, trainSet);
        DeviceImages testImages = DeviceImages.upload(backend, data.test());
        AugmentOptions aug = new AugmentOptions(data.height() >= 32 ? 4 : 2, true, cfg.cutout());
        BatchLoader loader = BatchLoader.train(trainImages, data.normalization(), cfg.batch(), aug, true, rng.split());
        BatchLoader testLoader = BatchLoader.eval(testImages, data.normalization(), Math.max(cfg.batch(), 256));
        Sgd sgd = new Sgd(net.params(), (float) cfg.momentum(), (float) cfg.weightDecay());
        CosineSchedule schedule = new CosineSchedule(cfg.lr(), 0, cfg.epochs());
        Tensor images = backend.allocate(cfg.batch(), data.channels(), data.height(), data.width());
        Tensor labels = backend.allocate(cfg.batch());
        Tensor dlogits = backend.allocate(cfg.batch(), data.classes());
        Tensor dAux = backend.allocate(cfg.batch(), data.classes());
        System.err.printf(Locale.ROOT, "retrain: %s, %d cells, C=%d, %,d parameters (+%,d auxiliary), %d train / %d test images%n",
                data.name(), netConfig.layers(), netConfig.channels(), net.parameterCount(), net.auxiliaryParameterCount(),
                trainSet.size(), data.test().size());
        LossStats test = null;
        double trainLoss = Double.NaN, trainAcc = Double.NaN;
        int step = 0;
        for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
            float lr = schedule.at(epoch);
            net.setDropPathProbability((float) (cfg.dropPath() * epoch / cfg.epochs()));
            net.train();
            loader.beginEpoch();
            ProgressBar bar = ProgressBar.stderr(String.format(Locale.ROOT, "epoch %d/%d train", epoch + 1, cfg.epochs()),
                    (long) loader.batchesPerEpoch() * cfg.batch(), "img");
            double lossSum = 0;
            int correct = 0, seen = 0;
            while (loader.hasNext()) {
                Batch b = loader.next();
                loader.load(b, images, labels);
                net.zeroGrad();
                Tensor logits = net.forward(images);
                LossStats s = backend.kernels().softmaxCrossEntropy(logits, labels, dlogits, 1f);
                Tensor aux = net.auxLogits();
                if (aux != null && cfg.auxWeight() > 0) backend.kernels().softmaxCrossEntropy(aux, labels, dAux, (float) cfg.auxWeight());
                step++;
                if (!Double.isFinite(s.loss())) {
                    throw new DivergedException("training loss is " + s.loss() + " at epoch " + (epoch + 1) + ", step " + step
                            + " (learning rate " + lr + "); lower --lr");
                }
                net.backward(dlogits, aux != null && cfg.auxWeight() > 0 ? dAux : null);
                GradClip.clip(net.params(), cfg.gradClip());
                sgd.step(lr);
                lossSum += s.loss() * s.count();
                correct += s.correct();
                seen += s.count();
                bar.suffix(String.format(Locale.ROOT, "loss %.3f acc %.3f", lossSum / seen, (double) correct / seen));
                bar.update(seen);
            }
            trainLoss = lossSum / seen;
            trainAcc = (double) correct / seen;
            net.eval();
            test = Evaluator.evaluate(backend, testLoader, net::forward, null);
            net.release();
            System.err.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f | test loss %.4f acc %.4f | lr %.5f%n",
                    epoch + 1, cfg.epochs(), trainLoss, trainAcc, test.loss(), test.accuracy(), lr);
            metrics.append(MetricsLog.record("phase", "retrain", "epoch", epoch + 1, "lr", lr, "train_loss", trainLoss,
                    "train_acc", trainAcc, "test_loss", test.loss(), "test_acc", test.accuracy(),
                    "elapsed_s", (System.nanoTime() - start) / 1e9));
        }
        return new Result(test.loss(), test.accuracy(), trainLoss, trainAcc, net.parameterCount(), (System.nanoTime() - start) / 1e9);
    }
}
