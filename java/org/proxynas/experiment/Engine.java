package org.proxynas.experiment;

/** Where an experiment's tasks run. */
public enum Engine { local, slurm, k8s }
