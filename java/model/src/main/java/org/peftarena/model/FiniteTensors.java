package org.peftarena.model;

import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.io.FiniteValues;
import org.peftarena.formats.io.NonFiniteTensorException;

/** The finiteness rule for LibTorch tensors, vectorised: one {@code isfinite().all()} per tensor. */
public final class FiniteTensors {
    private FiniteTensors() {
    }

    /**
     * @param source file or stage the tensor belongs to, for the message
     * @param name tensor name
     * @param t a floating-point tensor of any shape and device
     * @throws NonFiniteTensorException naming the tensor when it holds NaN or infinity
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public static void require(String source, String name, Tensor t) {
        try (PointerScope scope = new PointerScope()) {
            Tensor d = t.detach();
            if (d.isfinite().all().item_bool()) {
                return;
            }
            long nan = d.isnan().sum().item_long();
            long inf = d.isinf().sum().item_long();
            String what = (nan > 0 ? nan + " NaN" : "") + (nan > 0 && inf > 0 ? " and " : "")
                    + (inf > 0 ? inf + " infinite" : "") + " value" + (nan + inf == 1 ? "" : "s");
            throw new NonFiniteTensorException(name, FiniteValues.message(source, name, what));
        }
    }

    /**
     * Checks every tensor of a map, in order.
     *
     * @throws NonFiniteTensorException naming the first tensor that holds NaN or infinity
     */
    public static void requireAll(String source, Map<String, Tensor> tensors) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            require(source, e.getKey(), e.getValue());
        }
    }
}
