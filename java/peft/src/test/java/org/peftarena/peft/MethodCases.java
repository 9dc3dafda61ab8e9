package org.peftarena.peft;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.peftarena.peft.adalora.AdaLoraConfig;
import org.peftarena.peft.boft.BoftConfig;
import org.peftarena.peft.dora.DoraConfig;
import org.peftarena.peft.full.FullConfig;
import org.peftarena.peft.hra.HraConfig;
import org.peftarena.peft.ia3.Ia3Config;
import org.peftarena.peft.keeplora.KeepLoraConfig;
import org.peftarena.peft.lora.LoraConfig;
import org.peftarena.peft.milora.MiloraConfig;
import org.peftarena.peft.miss.MissConfig;
import org.peftarena.kernels.CayleyVariant;
import org.peftarena.peft.oft.OftConfig;
import org.peftarena.peft.pissa.PissaConfig;
import org.peftarena.peft.vera.VeraConfig;

/** Every trainable method at small sizes, for table-driven tests. */
final class MethodCases {
    private MethodCases() {}

    static List<PeftConfig> all() {
        return List.of(
                new FullConfig(),
                new LoraConfig(4, 8),
                new DoraConfig(4, 8),
                new PissaConfig(4),
                new MiloraConfig(4),
                new AdaLoraConfig(2, 3),
                new KeepLoraConfig(4, 2),
                new Ia3Config(List.of("down_proj")),
                new MissConfig(5),
                new VeraConfig(6, 0.1, 7),
                new OftConfig(4, CayleyVariant.NEUMANN_5),
                new OftConfig(8, CayleyVariant.EXACT),
                new BoftConfig(4, 2),
                new BoftConfig(2, 3),
                new HraConfig(4));
    }

    static Stream<Arguments> arguments() {
        return all().stream().map(c -> Arguments.of(c.method().cliName() + " " + c, c));
    }
}
