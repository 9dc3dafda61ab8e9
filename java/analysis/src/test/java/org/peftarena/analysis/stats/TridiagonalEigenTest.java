package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.peftarena.analysis.tensor.TensorMatrices;

class TridiagonalEigenTest {
    @Test
    void matchesTheDenseSymmetricSolverIncludingLastEigenvectorComponents() {
        for (int m : new int[] {1, 2, 7, 40}) {
            SplittableRandom random = new SplittableRandom(m);
            double[] d = new double[m];
            double[] e = new double[Math.max(m - 1, 1)];
            double[] dense = new double[m * m];
            for (int i = 0; i < m; i++) {
                d[i] = random.nextDouble() * 4 - 2;
                dense[i * m + i] = d[i];
                if (i + 1 < m) {
                    e[i] = random.nextDouble() - 0.5;
                    dense[i * m + i + 1] = e[i];
                    dense[(i + 1) * m + i] = e[i];
                }
            }
            T_TensorTensor_T eig = torch.linalg_eigh(TensorMatrices.vector(dense).reshape(m, m), "L");
            double[] expectedValues = TensorMatrices.toDoubles(eig.get0());
            double[] vectors = TensorMatrices.toDoubles(eig.get1().contiguous());
            TridiagonalEigen.Result got = TridiagonalEigen.of(d, e, m);
            Integer[] order = new Integer[m];
            for (int i = 0; i < m; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(got.values()[a], got.values()[b]));
            for (int i = 0; i < m; i++) {
                assertEquals(expectedValues[i], got.values()[order[i]], 1e-12, "eigenvalue " + i + " of " + m);
                assertEquals(Math.abs(vectors[(m - 1) * m + i]), Math.abs(got.lastComponents()[order[i]]), 1e-9,
                        "last component " + i + " of " + m);
            }
            double[] top = got.top();
            assertEquals(expectedValues[m - 1], top[0], 1e-12);
        }
    }
}
