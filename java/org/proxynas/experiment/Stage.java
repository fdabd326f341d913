package org.proxynas.experiment;

/** The stages of an experiment, in order; each is a directory of numbered tasks. */
public enum Stage {
    SEARCH("search"), RETRAIN("retrain");

    private final String dirName;

    Stage(String dirName) { this.dirName = dirName; }

    public String dirName() { return dirName; }

    public static Stage parse(String name) {
        for (Stage s : values()) if (s.dirName.equals(name)) return s;
        throw new PlanException("unknown stage '" + name + "' (expected search or retrain)");
    }
}
