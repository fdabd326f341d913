package org.proxynas.nasbench;

/**
 * One counted query of one (method, seed) unit: its 1-based index in the budget, the canonical genotype's compact
 * JSON, its accuracy, the best accuracy so far (this one included), and for PVLL the regressor's prediction made
 * before the label was seen together with the label it was trained on (both NaN for the other methods).
 */
public record QueryRecord(int query, String genotype, double accuracy, double best, double predicted, double label) {}
