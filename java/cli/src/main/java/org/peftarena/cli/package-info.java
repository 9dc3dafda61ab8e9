/** The {@code peft-arena} command line (picocli): one class per command; not an API. */
package org.peftarena.cli;
