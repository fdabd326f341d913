package org.proxynas.train;

import org.proxynas.data.AugmentOptions;
import org.proxynas.data.Batch;
import org.proxynas.data.BatchLoader;
import org.proxynas.data.Dataset;
import org.proxynas.data.DeviceImages;
import org.proxynas.data.LoaderState;
import org.proxynas.nn.EvalNet;
import org.proxynas.nn.EvalNetConfig;
import org.proxynas.rng.Rng;
import org.proxynas.run.Checkpoint;
import org.proxynas.run.MetricsLog;
import org.proxynas.run.TensorState;
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
        return train(genotype, data, netConfig, cfg, null);
    }

    /** As {@link #train(Genotype, Dataset, EvalNetConfig, RetrainConfig)}, checkpointing after every epoch (null: never). */
    public Result train(Genotype genotype, Dataset data, EvalNetConfig netConfig, RetrainConfig cfg, RetrainCheckpoints checkpoints) {
        long start = System.nanoTime();
        Rng rng = new Rng(cfg.seed());
        EvalNet net = new EvalNet(backend, netConfig, genotype, data.height(), rng.split());
        int kept = cfg.trainFraction() < 1 ? (int) (data.train().size() * cfg.trainFraction()) : data.train().size();
        if (kept < cfg.batch()) {
            throw new IllegalArgumentException("--batch " + cfg.batch() + " is larger than the training set: " + kept + " images"
                    + (cfg.trainFraction() < 1 ? " (--train-fraction " + cfg.trainFraction() + " of " + data.train().size() + ")" : ""));
        }
        if (data.test().size() == 0) throw new IllegalArgumentException("the test set " + data.test().name() + " has no images");
        var trainSet = kept < data.train().size() ? data.train().range("train", 0, kept) : data.train();
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
        double testLoss = Double.NaN, testAcc = Double.NaN;
        double trainLoss = Double.NaN, trainAcc = Double.NaN;
        int step = 0, firstEpoch = 0;
        double elapsedBefore = 0;
        if (checkpoints != null && checkpoints.resume()) {
            Checkpoint c = Checkpoint.read(checkpoints.file());
            if (!RetrainCheckpoints.FORMAT.equals(c.header().path("format").asText())) {
                throw new Checkpoint.CheckpointException(checkpoints.file() + ": not a train checkpoint");
            }
            TensorState.loadParams(c, "w.", net.params());
            TensorState.loadTensors(c, "bn.", net.buffers());
            TensorState.loadTensors(c, "sgd.", sgd.state());
            firstEpoch = c.field("epochs_done").asInt();
            step = c.field("step").asInt();
            sgd.setSteps(c.field("sgd_steps").asInt());
            try {
                loader.restore(c.json().treeToValue(c.field("train_loader"), LoaderState.class));
                net.dropPathRng().setState(c.json().treeToValue(c.field("drop_path_rng"), long[].class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                throw new Checkpoint.CheckpointException(checkpoints.file() + ": its loader or drop-path state does not fit this run: "
                        + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
            }
            trainLoss = c.field("train_loss").asDouble();
            trainAcc = c.field("train_acc").asDouble();
            testLoss = c.field("test_loss").asDouble();
            testAcc = c.field("test_acc").asDouble();
            elapsedBefore = c.field("elapsed_s").asDouble();
            metrics.truncate(c.field("metrics_bytes").asLong());
            System.err.printf(Locale.ROOT, "retrain: resumed from %s after epoch %d%n", checkpoints.file(), firstEpoch);
        }
        for (int epoch = firstEpoch; epoch < cfg.epochs(); epoch++) {
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
            LossStats test = Evaluator.evaluate(backend, testLoader, net::forward, null);
            net.release();
            testLoss = test.loss();
            testAcc = test.accuracy();
            System.err.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f acc %.4f | test loss %.4f acc %.4f | lr %.5f%n",
                    epoch + 1, cfg.epochs(), trainLoss, trainAcc, testLoss, testAcc, lr);
            double elapsed = elapsedBefore + (System.nanoTime() - start) / 1e9;
            metrics.append(MetricsLog.record("phase", "retrain", "epoch", epoch + 1, "lr", lr, "train_loss", trainLoss,
                    "train_acc", trainAcc, "test_loss", testLoss, "test_acc", testAcc, "elapsed_s", elapsed));
            if (checkpoints != null) {
                Checkpoint c = new Checkpoint();
                c.header().put("format", RetrainCheckpoints.FORMAT);
                c.header().put("epochs_done", epoch + 1);
                c.header().put("step", step);
                c.header().put("sgd_steps", sgd.steps());
                c.header().set("train_loader", c.json().valueToTree(loader.state()));
                c.header().set("drop_path_rng", c.json().valueToTree(net.dropPathRng().state()));
                c.header().put("train_loss", trainLoss);
                c.header().put("train_acc", trainAcc);
                c.header().put("test_loss", testLoss);
                c.header().put("test_acc", testAcc);
                c.header().put("elapsed_s", elapsed);
                c.header().put("metrics_bytes", metrics.size());
                checkpoints.stamp().accept(c);
                TensorState.saveParams(c, "w.", net.params());
                TensorState.saveTensors(c, "bn.", net.buffers());
                TensorState.saveTensors(c, "sgd.", sgd.state());
                c.write(checkpoints.file());
            }
        }
        return new Result(testLoss, testAcc, trainLoss, trainAcc, net.parameterCount(), elapsedBefore + (System.nanoTime() - start) / 1e9);
    }
}
