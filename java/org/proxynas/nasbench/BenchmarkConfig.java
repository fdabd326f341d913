package org.proxynas.nasbench;

import java.util.List;

/**
 * One comparison: methods × seeds, each a unit of {@code queries} unique oracle queries.
 *
 * @param oracle  the label source's name (written into config.json, checked on resume)
 * @param methods methods, in report order
 * @param seeds   seeds (report on 0..29; tune on 1000+)
 * @param queries budget per unit
 * @param threads units run in parallel (each single-threaded)
 * @param pvll    settings shared by the PVLL variants
 */
public record BenchmarkConfig(String oracle, List<Method> methods, List<Long> seeds, int queries, int threads, PvllSettings pvll) {
    public BenchmarkConfig {
        methods = List.copyOf(methods);
        seeds = List.copyOf(seeds);
        if (methods.isEmpty()) throw new IllegalArgumentException("--methods: name at least one method");
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds: name at least one seed");
        if (queries < 1) throw new IllegalArgumentException("--queries must be >= 1, got " + queries);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (methods.stream().distinct().count() != methods.size()) throw new IllegalArgumentException("--methods lists a method twice");
        if (seeds.stream().distinct().count() != seeds.size()) throw new IllegalArgumentException("--seeds lists a seed twice");
    }
}
