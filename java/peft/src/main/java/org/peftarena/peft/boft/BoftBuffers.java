package org.peftarena.peft.boft;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.Scalar;
import org.peftarena.model.HostTensors;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdapterTensors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles BOFT files written by older HF PEFT releases with the engine's BOFT:
 * <ul>
 * <li>they stored the permutation buffer {@code boft_P (m, in, in)} next to {@code boft_R} and
 * {@code boft_s}; it is fully determined by the configuration, so it is checked against the
 * butterfly permutations and dropped;</li>
 * <li>without their CUDA extension they trained one butterfly factor whatever
 * {@code boft_n_butterfly_factor} said; when every {@code boft_R} holds a single factor the
 * adapter is read as the one-factor BOFT it is.</li>
 * </ul>
 */
final class BoftBuffers {
    private static final Logger LOG = LoggerFactory.getLogger(BoftBuffers.class);
    private static final String GENERATORS = ".boft_R";
    private static final String PERMUTATIONS = ".boft_P";

    private BoftBuffers() {}

    /** The configuration and tensors of a read BOFT adapter with HF PEFT's quirks resolved. */
    static AdapterTensors normalise(BoftConfig config, Map<String, Tensor> tensors) {
        BoftConfig effective = effectiveConfig(config, tensors);
        Map<String, Tensor> kept = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().endsWith(PERMUTATIONS)) {
                checkPermutations(e.getKey(), e.getValue(), effective);
            } else {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return new AdapterTensors(effective, kept);
    }

    private static BoftConfig effectiveConfig(BoftConfig config, Map<String, Tensor> tensors) {
        if (config.butterflyFactors() == 1) {
            return config;
        }
        boolean any = false;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().endsWith(GENERATORS)) {
                any = true;
                if (e.getValue().dim() != 4 || e.getValue().size(0) != 1) {
                    return config;
                }
            }
        }
        if (!any) {
            return config;
        }
        LOG.warn("boft_n_butterfly_factor is {} but every boft_R holds one factor (HF PEFT without its CUDA extension "
                + "trains one factor); reading the adapter as one-factor BOFT", config.butterflyFactors());
        return new BoftConfig(config.blockSize(), 1);
    }

    private static void checkPermutations(String key, Tensor p, BoftConfig config) {
        int m = config.butterflyFactors();
        if (p.dim() != 3 || p.size(0) != m || p.size(1) != p.size(2) || p.size(1) % config.blockSize() != 0) {
            throw new AdapterFormatException(key + ": expected " + m + " permutation matrices of the layer's in-features, got shape "
                    + java.util.Arrays.toString(p.sizes().vec().get()));
        }
        int in = Math.toIntExact(p.size(1));
        long[][] perms;
        try {
            perms = ButterflyPermutation.factors(in, config.blockSize(), m);
        } catch (RuntimeException e) {
            throw new AdapterFormatException(key + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < m; i++) {
            // a permutation matrix with P[r, perm[r]] = 1: those n entries are 1 and the absolute sum is n
            Tensor pi = p.select(0, i);
            Tensor ones = pi.gather(1, org.peftarena.model.Devices.on(pi.device(), HostTensors.longs(perms[i], in, 1)));
            boolean matches = ones.eq(new Scalar(1.0)).all().item_bool() && pi.abs().sum().item_double() == in;
            if (!matches) {
                throw new AdapterFormatException(key + ": permutation of butterfly factor " + i
                        + " differs from the one block size " + config.blockSize() + " and " + m + " factors define");
            }
        }
    }
}
