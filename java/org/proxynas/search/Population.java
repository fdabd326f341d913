package org.proxynas.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.proxynas.run.Checkpoint;
import org.proxynas.space.ArchParams;
import org.proxynas.space.GumbelNoise;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The steady-state population of the evolutionary variant: (alpha, noise) individuals scored by validation loss. */
final class Population {
    record Individual(ArchParams alpha, GumbelNoise noise, double loss) {}

    private final int capacity;
    private final List<Individual> individuals = new ArrayList<>();

    Population(int capacity) { this.capacity = capacity; }

    /** Adds an individual; over capacity, the worst (highest loss) leaves. */
    void add(ArchParams alpha, GumbelNoise noise, double loss) {
        individuals.add(new Individual(alpha, noise, loss));
        if (individuals.size() > capacity) {
            int worst = 0;
            for (int i = 1; i < individuals.size(); i++) if (individuals.get(i).loss() > individuals.get(worst).loss()) worst = i;
            individuals.remove(worst);
        }
    }

    Individual best() {
        if (individuals.isEmpty()) throw new IllegalStateException("the population is empty");
        Individual b = individuals.get(0);
        for (Individual i : individuals) if (i.loss() < b.loss()) b = i;
        return b;
    }

    int size() { return individuals.size(); }

    List<Individual> individuals() { return List.copyOf(individuals); }

    void save(Checkpoint c) {
        float[] a = new float[individuals.size() * ArchParams.SIZE], g = new float[a.length];
        ArrayNode losses = c.json().createArrayNode();
        for (int i = 0; i < individuals.size(); i++) {
            System.arraycopy(individuals.get(i).alpha().flat(), 0, a, i * ArchParams.SIZE, ArchParams.SIZE);
            System.arraycopy(individuals.get(i).noise().toArray(), 0, g, i * ArchParams.SIZE, ArchParams.SIZE);
            losses.add(individuals.get(i).loss());
        }
        c.put("population_alpha", a);
        c.put("population_noise", g);
        c.header().set("population_loss", losses);
    }

    void load(Checkpoint c) {
        JsonNode losses = c.field("population_loss");
        float[] a = c.get("population_alpha", (long) losses.size() * ArchParams.SIZE);
        float[] g = c.get("population_noise", (long) losses.size() * ArchParams.SIZE);
        individuals.clear();
        for (int i = 0; i < losses.size(); i++) {
            individuals.add(new Individual(ArchParams.fromFlat(Arrays.copyOfRange(a, i * ArchParams.SIZE, (i + 1) * ArchParams.SIZE)),
                    GumbelNoise.fromFlat(Arrays.copyOfRange(g, i * ArchParams.SIZE, (i + 1) * ArchParams.SIZE)), losses.get(i).asDouble()));
        }
    }
}
