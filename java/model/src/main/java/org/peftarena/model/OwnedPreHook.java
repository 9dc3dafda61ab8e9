package org.peftarena.model;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.FunctionPreHook;
import org.bytedeco.pytorch.Node;
import org.peftarena.kernels.JniPeers;

/**
 * A gradient pre-hook written in Java that hands itself to an autograd node and leaves no JNI
 * reference behind. JavaCPP's C++ peer of a Java {@code FunctionPreHook} keeps a JNI weak
 * reference to the Java object; the node that takes the peer destroys it without deleting that
 * reference, so every hook added per training step would keep a handle for the rest of the process
 * ({@link JniPeers}). {@link #addTo} reads the reference before the node takes the peer and deletes
 * it when this object is released, normally when the step's pointer scope closes: the backward
 * pass must run before then.
 */
public abstract class OwnedPreHook extends FunctionPreHook {
    /** A hook not yet owned by a node. */
    protected OwnedPreHook() {
        super();
    }

    /** Adds this hook to {@code node}'s pre-hooks; the node owns its C++ peer from then on. */
    public final void addTo(Node node) {
        long reference = JniPeers.weakReference(this);
        node.add_pre_hook(this);
        if (reference != 0) {
            deallocator(new ReferenceRelease(reference));
        }
    }

    /** Deletes the peer's JNI weak reference when this object is released. */
    private record ReferenceRelease(long handle) implements Pointer.Deallocator {
        @Override
        public void deallocate() {
            JniPeers.deleteWeakReference(handle);
        }
    }
}
