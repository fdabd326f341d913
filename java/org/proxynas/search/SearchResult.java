package org.proxynas.search;

import org.proxynas.space.ArchParams;
import org.proxynas.space.Genotype;

/** What a finished search produced. */
public record SearchResult(String method, Genotype genotype, ArchParams alpha, double seconds) {}
