package org.peftarena.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.peftarena.model.HfModelDirectory;
import org.peftarena.model.ModelDType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code --dtype} of every command that writes a model directory ({@code merge}, {@code rewind},
 * {@code interpolate --export}): by default the base model's own dtype, so bf16 in is bf16 out.
 */
final class ExportDtypeOption {
    @Option(names = "--dtype", defaultValue = "auto", paramLabel = "auto|float32|bfloat16",
            description = "Dtype of the written model weights: auto (the default) keeps the base model's (bfloat16 stays "
                    + "bfloat16; float32, float16 and float64 bases are written as float32). The arithmetic runs in float32.")
    String dtype;

    /**
     * The dtype to write models in.
     *
     * @param spec the command (usage errors)
     * @param base the base model directory ({@code auto})
     * @throws ParameterException for an unknown name
     */
    ModelDType resolve(CommandSpec spec, Path base) throws IOException {
        return switch (dtype) {
            case "auto" -> HfModelDirectory.storedDtype(base);
            case "float32" -> ModelDType.FLOAT32;
            case "bfloat16" -> ModelDType.BFLOAT16;
            default -> throw new ParameterException(spec.commandLine(),
                    "--dtype: '" + dtype + "' is not one of auto, float32, bfloat16");
        };
    }
}
