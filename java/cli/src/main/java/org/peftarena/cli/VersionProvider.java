package org.peftarena.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the engine version from the jar manifest (or "dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"peft-arena " + (v == null ? "dev" : v)};
    }
}
