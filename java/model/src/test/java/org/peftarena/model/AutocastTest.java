package org.peftarena.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The autocast region: products in bfloat16 inside, float32 outside, the thread's earlier state restored. */
@SuppressWarnings("try") // regions are used for their extent, and one test closes a region twice on purpose
class AutocastTest {
    private static torch.ScalarType productType() {
        Tensor a = torch.randn(4, 8);
        Tensor b = torch.randn(8, 3);
        return torch.mm(a, b).scalar_type().intern();
    }

    @Test
    void bf16RunsProductsInBfloat16AndRestoresFloat32() {
        assertEquals(torch.ScalarType.Float, productType());
        try (Autocast.Region r = Autocast.BF16.enter(torch.DeviceType.CPU)) {
            assertEquals(torch.ScalarType.BFloat16, productType());
            assertFalse(torch.is_autocast_cache_enabled(), "no weight-cast cache inside the region");
        }
        assertEquals(torch.ScalarType.Float, productType());
        assertFalse(torch.is_autocast_enabled(torch.DeviceType.CPU));
        assertTrue(torch.is_autocast_cache_enabled());
    }

    @Test
    void noneChangesNothingAndRegionsNest() {
        try (Autocast.Region r = Autocast.NONE.enter(torch.DeviceType.CPU)) {
            assertEquals(torch.ScalarType.Float, productType());
        }
        try (Autocast.Region outer = Autocast.BF16.enter(torch.DeviceType.CPU)) {
            try (Autocast.Region inner = Autocast.BF16.enter(torch.DeviceType.CPU)) {
                assertEquals(torch.ScalarType.BFloat16, productType());
            }
            assertEquals(torch.ScalarType.BFloat16, productType(), "the inner region restores the outer one's state");
            outer.close();
            outer.close(); // a second close changes nothing
            assertEquals(torch.ScalarType.Float, productType());
        }
        assertEquals(torch.ScalarType.Float, productType());
    }

    @Test
    void theLossOfBfloat16LogitsIsFloat32() {
        Tensor logits = torch.randn(2, 5, 7).to(torch.ScalarType.BFloat16);
        Tensor labels = torch.randint(7, new long[] {2, 5}, new org.bytedeco.pytorch.TensorOptions(torch.ScalarType.Long));
        assertEquals(torch.ScalarType.Float, CausalLmLoss.shiftedCrossEntropy(logits, labels).scalar_type().intern());
    }

    @Test
    void parsesItsNames() {
        assertEquals(Autocast.BF16, Autocast.parse("BF16"));
        assertEquals(Autocast.NONE, Autocast.parse("none"));
        assertThrows(IllegalArgumentException.class, () -> Autocast.parse("fp8"));
    }
}
