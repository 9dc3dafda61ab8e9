package org.peftarena.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.peftarena.kernels.reference.CayleyReference;
import org.peftarena.kernels.reference.Dense;

/** The series the library reports is HF PEFT's, term by term (the Java reference is the oracle). */
class CayleyNeumannSeriesTest {
    static Stream<Arguments> knownSeries() {
        return Stream.of(
                Arguments.of(1, new double[] {1}),
                Arguments.of(2, new double[] {1, 2}),
                Arguments.of(3, new double[] {1, 2, 2, 1}),
                Arguments.of(4, new double[] {1, 2, 2, 1}),
                Arguments.of(5, new double[] {1, 2, 2, 2, 1}),
                Arguments.of(6, new double[] {1, 2, 2, 2, 2, 1}));
    }

    @ParameterizedTest(name = "terms={0}")
    @MethodSource("knownSeries")
    void coefficientsAreHfPeftsSeries(int terms, double[] expected) {
        final CayleyNeumannSeries s = CayleyNeumannSeries.of(terms);
        assertEquals(expected.length - 1, s.degree());
        assertArrayEquals(expected, s.coefficients());
    }

    /** sum c_i Q^i from the reported coefficients equals the reference's term-by-term series for every term count. */
    @ParameterizedTest(name = "terms={0}")
    @MethodSource("allTerms")
    void polynomialMatchesReference(int terms) {
        final int b = 5;
        final double[] q = TestData.gaussian(b * (b - 1) / 2, 7L * terms, 0.2);
        final double[][] skew = CayleyReference.skew(q, 0, b, 1.0);
        final CayleyNeumannSeries s = CayleyNeumannSeries.of(terms);
        final double[][] r = Dense.identity(b);
        for (int i = 0; i < b; i++) {
            r[i][i] = s.coefficient(0);
        }
        double[][] power = Dense.identity(b);
        for (int i = 1; i <= s.degree(); i++) {
            power = Dense.multiply(power, skew);
            Dense.addScaled(r, power, s.coefficient(i));
        }
        final double[] got = new double[b * b];
        Dense.store(r, got, 0);
        final double[] ref = CayleyReference.neumann(q, 1, b, terms, 1.0);
        for (int i = 0; i < got.length; i++) {
            assertEquals(ref[i], got[i], 1e-12 * Math.max(1.0, Math.abs(ref[i])), "terms=" + terms + " element " + i);
        }
        assertTrue(s.split() >= 1 && s.split() <= Math.max(1, s.degree()), s.toString());
    }

    static IntStream allTerms() {
        return IntStream.rangeClosed(1, KernelLimits.CAYLEY_MAX_NEUMANN_TERMS);
    }

    @Test
    void splitOfTheDefaultSeriesTakesTwoProducts() {
        // 5 terms: I + 2Q + Q^2 (2I + 2Q + Q^2), powers up to Q^2.
        assertEquals(2, CayleyVariant.NEUMANN_5.series().split());
    }

    @Test
    void termsOutsideTheLimitsAreRejected() {
        assertThrows(KernelArgumentException.class, () -> CayleyNeumannSeries.of(0));
        assertThrows(KernelArgumentException.class, () -> CayleyNeumannSeries.of(KernelLimits.CAYLEY_MAX_NEUMANN_TERMS + 1));
        assertThrows(IllegalStateException.class, CayleyVariant.EXACT::series);
    }

    @Test
    void hfFlagsNameTheVariant() {
        assertEquals(CayleyVariant.EXACT, CayleyVariant.of(false, 7));
        assertEquals(CayleyVariant.neumannSeries(7), CayleyVariant.of(true, 7));
        assertTrue(CayleyVariant.NEUMANN_5.isNeumann());
        assertTrue(CayleyVariant.EXACT.isExact());
    }
}
