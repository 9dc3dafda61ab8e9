package org.peftarena.peft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peftarena.formats.io.SafetensorsWriter;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.boft.BoftConfig;

/**
 * BOFT adapters written the way HF PEFT writes them ({@code boft_R (m, N, b, b)}, {@code boft_s (out, 1)},
 * older releases also {@code boft_P}) are read and merged as {@code diag(s) W0 R^T}, checked against
 * HF's dense construction computed here in double.
 */
class HfBoftAdapterReadTest {
    private static final String KEY = "base_model.model.model.layers.0.self_attn.o_proj.";
    private static final String CONFIG = """
            {"peft_type": "BOFT", "task_type": "CAUSAL_LM", "boft_block_size": 2, "boft_block_num": 0,
             "boft_n_butterfly_factor": %d, "boft_dropout": 0.1, "target_modules": ["o_proj"], "bias": "none",
             "fan_in_fan_out": false, "init_weights": true, "modules_to_save": null, "layers_to_transform": null,
             "layers_pattern": null, "inference_mode": true, "base_model_name_or_path": "tiny"}""";
    /** HF's block_butterfly_perm for in = 8, b = 2, three factors, written out by hand. */
    private static final int[][] PERMS = {{0, 1, 2, 3, 4, 5, 6, 7}, {0, 2, 1, 3, 4, 6, 5, 7}, {0, 2, 4, 6, 1, 3, 5, 7}};

    private static double[][] matmul(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    /** {@code R = B_(m-1) ... B_0}, {@code B_i = P_i BD_i P_i^T}, 2x2 blocks {@code (I - S)(I + S)^-1}, {@code S = (G - G^T)/2}. */
    private static double[][] totalRotation(float[] g, int factors) {
        double[][] r = new double[8][8];
        for (int i = 0; i < 8; i++) {
            r[i][i] = 1;
        }
        for (int f = 0; f < factors; f++) {
            double[][] bd = new double[8][8];
            for (int n = 0; n < 4; n++) {
                int o = (f * 4 + n) * 4;
                double a = 0.5 * (g[o + 1] - g[o + 2]);
                double d = 1 + a * a;
                bd[2 * n][2 * n] = (1 - a * a) / d;
                bd[2 * n][2 * n + 1] = -2 * a / d;
                bd[2 * n + 1][2 * n] = 2 * a / d;
                bd[2 * n + 1][2 * n + 1] = (1 - a * a) / d;
            }
            int[] p = factors == 1 ? PERMS[0] : PERMS[f];
            double[][] b = new double[8][8]; // (P BD P^T)[r][c] = BD[p[r]][p[c]]
            for (int row = 0; row < 8; row++) {
                for (int c = 0; c < 8; c++) {
                    b[row][c] = bd[p[row]][p[c]];
                }
            }
            r = matmul(b, r);
        }
        return r;
    }

    private static float[] permutationBuffer(int factors) {
        float[] p = new float[factors * 64];
        for (int f = 0; f < factors; f++) {
            for (int row = 0; row < 8; row++) {
                p[f * 64 + row * 8 + PERMS[f][row]] = 1;
            }
        }
        return p;
    }

    /** Loads the adapter into a fresh model, merges, and checks o_proj against {@code diag(s) W0 R^T}. */
    private static void assertMergedAsHf(Path dir, float[] g, float[] s, int factors) throws Exception {
        AdapterCheckpoint ckpt = AdapterIO.load(dir);
        assertEquals(new BoftConfig(2, factors), ckpt.config());
        float[][] before = HfAdapterReadTest.oProjBeforeAndAfterMerge(ckpt);
        float[] w0 = before[0];
        float[] merged = before[1];
        double[][] r = totalRotation(g, factors);
        for (int o = 0; o < 8; o++) {
            for (int c = 0; c < 8; c++) {
                double v = 0;
                for (int k = 0; k < 8; k++) {
                    v += w0[o * 8 + k] * r[c][k];
                }
                assertEquals(s[o] * v, merged[o * 8 + c], 1e-5, "o_proj[" + o + "," + c + "]");
            }
        }
    }

    @Test
    void boftFilesWithAndWithoutPermutationBuffersMergeAsHf(@TempDir Path tmp) throws Exception {
        SplittableRandom rng = new SplittableRandom(4);
        float[] g = HfAdapterReadTest.random(rng, 3 * 4 * 2 * 2, 0.4);
        float[] s = scales(rng, 0.2);
        Path current = Files.createDirectories(tmp.resolve("current"));
        HfAdapterReadTest.writeDir(current, CONFIG.formatted(3), new SafetensorsWriter()
                .addFloats(KEY + "boft_R", new long[] {3, 4, 2, 2}, g)
                .addFloats(KEY + "boft_s", new long[] {8, 1}, s));
        assertMergedAsHf(current, g, s, 3);

        Path older = Files.createDirectories(tmp.resolve("older"));
        HfAdapterReadTest.writeDir(older, CONFIG.formatted(3), new SafetensorsWriter()
                .addFloats(KEY + "boft_P", new long[] {3, 8, 8}, permutationBuffer(3))
                .addFloats(KEY + "boft_R", new long[] {3, 4, 2, 2}, g)
                .addFloats(KEY + "boft_s", new long[] {8, 1}, s));
        assertMergedAsHf(older, g, s, 3);
    }

    @Test
    void oneFactorTensorsUnderAMultiFactorConfigAreReadAsOneFactor(@TempDir Path dir) throws Exception {
        // HF PEFT without its CUDA extension trained one factor while the config kept the requested count
        SplittableRandom rng = new SplittableRandom(5);
        float[] g = HfAdapterReadTest.random(rng, 4 * 2 * 2, 0.4);
        float[] s = scales(rng, 0.1);
        HfAdapterReadTest.writeDir(dir, CONFIG.formatted(2), new SafetensorsWriter()
                .addFloats(KEY + "boft_P", new long[] {1, 8, 8}, permutationBuffer(1))
                .addFloats(KEY + "boft_R", new long[] {1, 4, 2, 2}, g)
                .addFloats(KEY + "boft_s", new long[] {8, 1}, s));
        assertMergedAsHf(dir, g, s, 1);
    }

    @Test
    void unsupportedBoftFilesAreTypedErrors(@TempDir Path dir) throws Exception {
        SafetensorsWriter ok = new SafetensorsWriter()
                .addFloats(KEY + "boft_R", new long[] {2, 4, 2, 2}, new float[32])
                .addFloats(KEY + "boft_s", new long[] {8, 1}, new float[8]);
        HfAdapterReadTest.writeDir(dir, CONFIG.formatted(2).replace("\"boft_block_size\": 2, \"boft_block_num\": 0",
                "\"boft_block_size\": 0, \"boft_block_num\": 4"), ok);
        assertTrue(assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir)).getMessage().contains("boft_block_num"));
        HfAdapterReadTest.writeDir(dir, CONFIG.formatted(2).replace("\"bias\": \"none\"", "\"bias\": \"all\""), ok);
        assertTrue(assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir)).getMessage().contains("bias"));
        float[] wrongP = permutationBuffer(2);
        wrongP[64 + 8 + 2] = 0; // factor 1, row 1: the 1 belongs in column 2
        wrongP[64 + 8 + 1] = 1;
        HfAdapterReadTest.writeDir(dir, CONFIG.formatted(2), new SafetensorsWriter()
                .addFloats(KEY + "boft_P", new long[] {2, 8, 8}, wrongP)
                .addFloats(KEY + "boft_R", new long[] {2, 4, 2, 2}, new float[32])
                .addFloats(KEY + "boft_s", new long[] {8, 1}, new float[8]));
        assertTrue(assertThrows(AdapterFormatException.class, () -> AdapterIO.load(dir)).getMessage().contains("permutation"));
        HfAdapterReadTest.writeDir(dir, CONFIG.formatted(2), new SafetensorsWriter()
                .addFloats(KEY + "boft_P", new long[] {2, 8, 8}, permutationBuffer(2))
                .addFloats(KEY + "boft_R", new long[] {2, 4, 2, 2}, new float[32])
                .addFloats(KEY + "boft_s", new long[] {8, 1}, new float[8]));
        assertEquals(new BoftConfig(2, 2), AdapterIO.load(dir).config());
    }

    /** Eight output scales {@code 1 + N(0, sd^2)}-like values, as trained {@code boft_s} look. */
    private static float[] scales(SplittableRandom rng, double sd) {
        float[] s = HfAdapterReadTest.random(rng, 8, sd);
        for (int i = 0; i < s.length; i++) {
            s[i] += 1;
        }
        return s;
    }
}
