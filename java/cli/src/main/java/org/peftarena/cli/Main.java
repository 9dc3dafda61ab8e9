package org.peftarena.cli;

/** Entry point of the {@code peft-arena} command line (placeholder until the CLI lands). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("peft-arena");
    }
}
