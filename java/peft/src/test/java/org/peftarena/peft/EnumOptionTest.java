package org.peftarena.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** An enum choice's command-line name comes from its constant, and the one lookup finds it. */
class EnumOptionTest {
    enum Choice implements EnumOption {
        AUTO,
        SAFE_RHO,
        FRO_R_MINUS_I
    }

    @Test
    void namesAreLowerCaseWithDashesAndParseBack() {
        assertEquals("auto", Choice.AUTO.cliName());
        assertEquals("safe-rho", Choice.SAFE_RHO.cliName());
        assertEquals("fro-r-minus-i", Choice.FRO_R_MINUS_I.cliName());
        assertEquals("auto, safe-rho, fro-r-minus-i", NamedOption.names(Choice.values()));
        for (Choice c : Choice.values()) {
            assertEquals(c, NamedOption.parse(" " + c.cliName().toUpperCase(java.util.Locale.ROOT) + " ", Choice.values(), "choice",
                    IllegalArgumentException::new));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NamedOption.parse("safe_rho", Choice.values(), "choice", IllegalArgumentException::new));
        assertEquals("unknown choice 'safe_rho'; known: auto, safe-rho, fro-r-minus-i", e.getMessage());
    }
}
