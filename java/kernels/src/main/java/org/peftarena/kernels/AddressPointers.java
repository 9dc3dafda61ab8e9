package org.peftarena.kernels;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;

/** Views raw native addresses (for example LibTorch {@code data_ptr()}) as JavaCPP pointers without copying. */
final class AddressPointers {
    private AddressPointers() {}

    /** A non-owning float pointer at {@code address}; 0 stays a null pointer. */
    static FloatPointer floats(long address) {
        return address == 0 ? null : new AddressFloatPointer(address);
    }

    /** A non-owning 64-bit word pointer at {@code address}; 0 stays a null pointer. */
    static LongPointer words(long address) {
        return address == 0 ? null : new AddressLongPointer(address);
    }

    private static final class AddressLongPointer extends LongPointer {
        AddressLongPointer(long address) {
            super();
            this.address = address;
        }
    }

    private static final class AddressFloatPointer extends FloatPointer {
        AddressFloatPointer(long address) {
            super();
            this.address = address;
        }
    }
}
