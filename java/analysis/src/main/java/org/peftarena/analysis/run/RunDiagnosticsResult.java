package org.peftarena.analysis.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The diagnostics of one arena run, ready for JSON (Jackson serialises the record components).
 *
 * @param baseDir base model directory
 * @param tunedDir adapter or merged model directory
 * @param layerCount decoder layers of the base model
 * @param layers analysed layer indices
 * @param modules per module, in layer then option order
 */
public record RunDiagnosticsResult(String baseDir, String tunedDir, int layerCount, List<Integer> layers,
                                   List<ModuleDiagnostics> modules) {
    /** Copies the lists. */
    public RunDiagnosticsResult {
        layers = List.copyOf(layers);
        modules = List.copyOf(modules);
    }

    /** @return every numeric metric of every module, keyed {@code module/group/name} */
    public Map<String, Double> numericMetrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        modules.forEach(d -> m.putAll(d.numericMetrics()));
        return m;
    }
}
