package org.peftarena.formats.io;

/** Bit-exact conversions between f32 and the 16-bit float formats F16 (IEEE binary16) and BF16. */
public final class HalfFloatCodec {

    private HalfFloatCodec() {
    }

    /**
     * @param h IEEE binary16 bits
     * @return the same value as f32 (exact: every f16 is representable)
     */
    public static float f16ToF32(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Rounds to nearest, ties to even; overflow gives infinity, NaN stays NaN (quiet).
     *
     * @param f value
     * @return IEEE binary16 bits
     */
    public static short f32ToF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xff;
        int mant = x & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 112;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int full = mant | 0x800000;
            int shift = 14 - e;
            int m = full >>> shift;
            int rem = full & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (m & 1) != 0)) {
                m++;
            }
            return (short) (sign | m);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct next binade (or infinity)
        }
        return (short) (sign | half);
    }

    /**
     * @param b bfloat16 bits
     * @return the same value as f32 (exact)
     */
    public static float bf16ToF32(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }

    /**
     * Rounds to nearest, ties to even; NaN stays NaN (quiet).
     *
     * @param f value
     * @return bfloat16 bits
     */
    public static short f32ToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) {
            return (short) ((x >>> 16) | 0x40);
        }
        return (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
    }
}
