package org.peftarena.kernels;

import org.bytedeco.javacpp.Pointer;
import org.peftarena.kernels.jni.PeftArenaNative;

/**
 * The JNI weak reference that JavaCPP's C++ peer of a Java callback object keeps.
 *
 * <p>For a Java subclass of a virtual C++ class (LibTorch's {@code FunctionPreHook}, say) JavaCPP allocates
 * a C++ subclass whose first member is a JNI weak global reference to the Java object, through which C++
 * calls back into Java. Only JavaCPP's own deallocator deletes that reference. A peer handed to C++ as a
 * {@code unique_ptr} is destroyed by its new owner (an autograd node) instead, and the reference stays
 * allocated in the JVM's handle storage for the rest of the process: a few bytes per object, but one
 * object per OFT module per training step. The owner of such a callback reads the reference with
 * {@link #weakReference} while the peer is alive and deletes it with {@link #deleteWeakReference} once
 * C++ can no longer call the object.
 */
public final class JniPeers {
    private JniPeers() {}

    /**
     * The JNI weak reference held by the C++ peer of {@code callback}, or 0 when the peer does not hold one
     * to {@code callback} where JavaCPP puts it (then there is nothing to delete).
     *
     * @param callback a live JavaCPP peer of a Java subclass of a virtual C++ class whose C++ base has no data
     *                 members (only its vtable pointer), before its ownership passes to C++
     */
    public static long weakReference(Pointer callback) {
        long handle = referenceField(callback);
        return PeftArenaNative.pa_jni_is_weak_ref_to(handle, callback) == 1 ? handle : 0;
    }

    /**
     * The word where JavaCPP's C++ peer class keeps its JNI reference (its first member, after the C++
     * base's vtable pointer), unchecked.
     *
     * @param peer a live C++ peer (a JavaCPP callback object, or a plain wrapper of the same C++ object)
     */
    public static long referenceField(Pointer peer) {
        if (peer == null || peer.isNull()) {
            return 0;
        }
        return AddressPointers.words(peer.address()).get(1);
    }

    /**
     * Whether {@code handle} is a live JNI weak global reference.
     *
     * @param handle 0 or a value that was a JNI reference handed out by this JVM
     */
    public static boolean isWeakReference(long handle) {
        return PeftArenaNative.pa_jni_is_weak_ref(handle) == 1;
    }

    /**
     * Deletes the JNI weak global reference {@code handle} (0 does nothing). Call it only once no C++ code
     * can call back through it.
     */
    public static void deleteWeakReference(long handle) {
        PeftArenaNative.pa_jni_delete_weak_ref(handle);
    }
}
