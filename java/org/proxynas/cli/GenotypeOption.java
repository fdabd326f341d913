package org.proxynas.cli;

import org.proxynas.rng.Rng;
import org.proxynas.space.Genotype;
import org.proxynas.space.Genotypes;
import org.proxynas.space.RandomArchitectures;

/** The value of --genotype: a built-in name, a genotype file, or random:SEED. */
final class GenotypeOption {
    private GenotypeOption() {}

    static Genotype resolve(String value) {
        if (value.startsWith("random:")) {
            String seed = value.substring("random:".length());
            try {
                return RandomArchitectures.genotype(new Rng(Long.parseLong(seed.strip())));
            } catch (NumberFormatException e) {
                throw new UserError("--genotype " + value + ": the seed after 'random:' must be a whole number (a 64-bit integer), got '" + seed + "'");
            }
        }
        try {
            return Genotypes.resolve(value);
        } catch (IllegalArgumentException e) {
            throw new UserError("--genotype: " + e.getMessage(), e);
        }
    }
}
