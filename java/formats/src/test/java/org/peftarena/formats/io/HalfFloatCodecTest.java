package org.peftarena.formats.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfFloatCodecTest {

    @Test
    void everyF16SurvivesARoundTripThroughF32() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloatCodec.f16ToF32((short) h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloatCodec.f16ToF32(HalfFloatCodec.f32ToF16(f))));
            } else {
                assertEquals(h, HalfFloatCodec.f32ToF16(f) & 0xffff, "f16 bits " + Integer.toHexString(h));
            }
        }
    }

    @Test
    void knownF16Values() {
        assertEquals(1.0f, HalfFloatCodec.f16ToF32((short) 0x3c00));
        assertEquals(-2.0f, HalfFloatCodec.f16ToF32((short) 0xc000));
        assertEquals(65504f, HalfFloatCodec.f16ToF32((short) 0x7bff));
        assertEquals(0x1p-24f, HalfFloatCodec.f16ToF32((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloatCodec.f16ToF32((short) 0x7c00));
        assertEquals((short) 0x7c00, HalfFloatCodec.f32ToF16(65520f), "65520 rounds up to infinity");
        assertEquals((short) 0x7bff, HalfFloatCodec.f32ToF16(65519f));
        assertEquals((short) 0x0000, HalfFloatCodec.f32ToF16(0x1p-25f), "tie to even at the bottom");
        assertEquals((short) 0x0001, HalfFloatCodec.f32ToF16(0x1.8p-25f));
    }

    /** Rounding to nearest, ties to even, checked against the two neighbouring f16 values in double. */
    @Test
    void f32ToF16RoundsToNearestEven() {
        Random rnd = new Random(99);
        for (int i = 0; i < 200_000; i++) {
            float x = Float.intBitsToFloat(rnd.nextInt());
            if (Float.isNaN(x) || Math.abs(x) > 65504f) {
                continue;
            }
            assertNearestEven(x, HalfFloatCodec.f32ToF16(x) & 0xffff, true);
        }
    }

    @Test
    void f32ToBf16RoundsToNearestEven() {
        Random rnd = new Random(98);
        for (int i = 0; i < 200_000; i++) {
            float x = Float.intBitsToFloat(rnd.nextInt());
            if (Float.isNaN(x) || Float.isInfinite(x) || Math.abs(x) > 3.38e38f) {
                continue;
            }
            assertNearestEven(x, HalfFloatCodec.f32ToBf16(x) & 0xffff, false);
        }
        assertTrue(Float.isNaN(HalfFloatCodec.bf16ToF32(HalfFloatCodec.f32ToBf16(Float.NaN))));
    }

    private static void assertNearestEven(float x, int bits, boolean f16) {
        double got = decode(bits, f16);
        int magnitude = bits & 0x7fff;
        double err = Math.abs(got - x);
        for (int neighbour : new int[] {magnitude - 1, magnitude + 1}) {
            if (neighbour < 0 || neighbour > (f16 ? 0x7bff : 0x7f7f)) {
                continue;
            }
            double other = decode((bits & 0x8000) | neighbour, f16);
            double otherErr = Math.abs(other - x);
            assertTrue(err < otherErr || (err == otherErr && (bits & 1) == 0),
                    "x=" + x + " bits=" + Integer.toHexString(bits) + " neighbour is closer");
        }
    }

    private static double decode(int bits, boolean f16) {
        return f16 ? HalfFloatCodec.f16ToF32((short) bits) : HalfFloatCodec.bf16ToF32((short) bits);
    }
}
