package org.peftarena.model;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
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
 *
 * <p>That scope is also what keeps the Java object reachable until the backward pass: the peer's weak
 * reference does not, so a hook added outside any scope could be collected between the forward and the
 * backward pass, and the node would then call a collected object (a {@code NullPointerException} from
 * {@code backward()}). {@link #addTo} therefore refuses to run outside a scope; callers check
 * {@link #held()} first and take a path without hooks there.
 */
public abstract class OwnedPreHook extends FunctionPreHook {
    /** A hook not yet owned by a node. */
    protected OwnedPreHook() {
        super();
    }

    /**
     * Whether a hook added now is held until the backward pass: a {@code PointerScope} is open on this
     * thread (the trainers open one per step).
     */
    public static boolean held() {
        return PointerScope.getInnerScope() != null;
    }

    /**
     * Adds this hook to {@code node}'s pre-hooks; the node owns its C++ peer from then on.
     *
     * @throws IllegalStateException outside a {@code PointerScope} ({@link #held()} is false)
     */
    public final void addTo(Node node) {
        if (!held()) {
            throw new IllegalStateException("a gradient hook written in Java needs an open PointerScope around the forward"
                    + " and backward passes: nothing else keeps it reachable until the backward pass");
        }
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
