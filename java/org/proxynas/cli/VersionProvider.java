package org.proxynas.cli;

import picocli.CommandLine;

/** Version from the jar manifest (the build's version), "dev" when run from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"proxynas " + version(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
