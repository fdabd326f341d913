package org.proxynas.experiment;

import java.util.List;
import java.util.Map;

/**
 * An experiment plan: searches (methods x seeds), then retraining of the top-k genotypes of each method (x seeds),
 * then a collect step; plus what the schedulers need. Option maps go to the task command lines as they are.
 */
public record Plan(String name, SearchStage search, RetrainStage retrain, Resources resources, SlurmSettings slurm,
                   K8sSettings k8s, String launcher) {

    /** {@code proxynas search --method M --seed S <options>} for every method and seed. */
    public record SearchStage(List<String> methods, List<Long> seeds, Map<String, String> options) {}

    /** {@code proxynas train --genotype <rank r of method M> --seed S <options>}; null in a plan without retraining. */
    public record RetrainStage(int top, List<Long> seeds, Map<String, String> options) {}

    /** Per task, on Slurm and Kubernetes: GPUs, CPUs, memory (e.g. 16G), wall time (Slurm), tasks at once. */
    public record Resources(int gpus, int cpus, String memory, String time, int maxParallel) {}

    /** Slurm: partition (null for the default) and extra sbatch options, written as #SBATCH lines. */
    public record SlurmSettings(String partition, List<String> extra) {}

    /** Kubernetes: the container image, the experiment volume's claim and size, namespace, retries per index. */
    public record K8sSettings(String image, String claim, String storage, String namespace, int backoffLimitPerIndex) {}

    public boolean hasRetrain() { return retrain != null; }
}
