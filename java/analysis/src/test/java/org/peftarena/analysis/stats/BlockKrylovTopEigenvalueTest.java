package org.peftarena.analysis.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.peftarena.analysis.reference.DMatrix;
import org.peftarena.analysis.tensor.TensorMatrices;

class BlockKrylovTopEigenvalueTest {
    private static Tensor gram(int rows, int n, long seed) {
        Tensor a = TensorMatrices.of(DMatrix.gaussian(rows, n, seed), torch.ScalarType.Double);
        return a.t().mm(a);
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(ints = {1, 4, 8})
    void topEigenvalueOfARandomGramMatchesTheFullDecomposition(int p) {
        int n = 400;
        Tensor m = gram(600, n, 3);
        double exact = torch.linalg_eigvalsh(m, "L").max().item_double();
        int[] calls = {0};
        UnaryOperator<Tensor> op = x -> {
            calls[0]++;
            return m.mm(x);
        };
        OptionalDouble top = BlockKrylovTopEigenvalue.compute(n, p, op, 200, 1e-7, 1);
        assertTrue(top.isPresent());
        assertEquals(exact, top.getAsDouble(), 1e-6 * exact);
        assertTrue(calls[0] * p < n, "converged with " + calls[0] + " products of " + p + " vectors");
    }

    @Test
    void clusteredTopNeedsFewerPassesWithBlocks() {
        // eigenvalues 1 + 1e-3 i / n: the top ones nearly tie, the case single-vector Lanczos is slow on
        int n = 300;
        Tensor q = torch.linalg_qr(TensorMatrices.of(DMatrix.gaussian(n, n, 5), torch.ScalarType.Double)).get0();
        Tensor d = torch.arange(new org.bytedeco.pytorch.Scalar(n)).to(torch.ScalarType.Double)
                .mul(TensorMatrices.scalar(1e-3 / n)).add(TensorMatrices.scalar(1.0));
        Tensor m = q.mul(d.unsqueeze(0)).mm(q.t());
        double exact = 1 + 1e-3 * (n - 1) / n;
        int[] passes = {0, 0};
        OptionalDouble single = BlockKrylovTopEigenvalue.compute(n, 1, x -> {
            passes[0]++;
            return m.mm(x);
        }, 400, 1e-7, 2);
        OptionalDouble block = BlockKrylovTopEigenvalue.compute(n, 8, x -> {
            passes[1]++;
            return m.mm(x);
        }, 400, 1e-7, 2);
        assertTrue(single.isPresent() && block.isPresent());
        assertEquals(exact, block.getAsDouble(), 2e-7 * exact);
        assertEquals(exact, single.getAsDouble(), 2e-7 * exact);
        assertTrue(passes[1] < passes[0], "block passes " + passes[1] + ", single-vector passes " + passes[0]);
    }

    @Test
    void lowRankAndZeroOperators() {
        int n = 50;
        Tensor a = TensorMatrices.of(DMatrix.gaussian(3, n, 9), torch.ScalarType.Double);
        Tensor m = a.t().mm(a);   // rank 3
        double exact = torch.linalg_eigvalsh(m, "L").max().item_double();
        OptionalDouble top = BlockKrylovTopEigenvalue.compute(n, 8, m::mm, 50, 1e-9, 4);
        assertTrue(top.isPresent());
        assertEquals(exact, top.getAsDouble(), 1e-8 * exact);
        OptionalDouble zero = BlockKrylovTopEigenvalue.compute(n, 4, x -> torch.zeros_like(x), 10, 1e-7, 4);
        assertEquals(0.0, zero.orElseThrow());
        OptionalDouble tiny = BlockKrylovTopEigenvalue.compute(3, 8, x -> x.mul(TensorMatrices.scalar(2.0)), 5, 1e-7, 4);
        assertEquals(2.0, tiny.orElseThrow(), 1e-12, "block wider than the space");
    }

    @Test
    void reportsNonConvergenceAndBadOperators() {
        Tensor m = gram(600, 400, 3);
        assertFalse(BlockKrylovTopEigenvalue.compute(400, 2, m::mm, 1, 1e-12, 1).isPresent());
        assertThrows(IllegalArgumentException.class, () -> BlockKrylovTopEigenvalue.compute(10, 2, x -> x.narrow(0, 0, 5), 5, 1e-7, 1));
        assertThrows(IllegalArgumentException.class, () -> BlockKrylovTopEigenvalue.compute(0, 2, x -> x, 5, 1e-7, 1));
    }
}
