package org.peftarena.model;

import java.util.Locale;
import org.bytedeco.pytorch.global.torch;

/**
 * LibTorch's automatic mixed precision for the forward pass of training: with {@link #BF16}, matrix
 * products (linear layers, attention) run in bfloat16 while LibTorch keeps reductions, norms, softmax
 * and the loss in float32; the parameters, their gradients and the optimizer state stay float32. The
 * backward pass follows the forward's dtypes. Our native kernels take float32 only, so under
 * autocast the native OFT path steps aside for LibTorch's on any bfloat16 input.
 *
 * <p>The state is LibTorch's, per thread: {@link #enter} turns it on for the calling thread and the
 * returned region restores what was there before (regions nest). Casts are not cached across the region
 * (LibTorch's weight-cast cache is switched off inside it), so a parameter updated between two steps is
 * never read through a stale bfloat16 copy.
 */
public enum Autocast {
    /** Everything in the parameters' dtype (float32). */
    NONE,
    /** bfloat16 autocast. */
    BF16;

    /** The name on the command line and in configs: {@code none} or {@code bf16}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code none} or {@code bf16} (case-insensitive). */
    public static Autocast parse(String s) {
        for (Autocast a : values()) {
            if (a.cliName().equalsIgnoreCase(s.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown autocast '" + s + "' (expected none or bf16)");
    }

    /** A region of code under this autocast on the given device type; {@link #NONE} changes nothing. */
    public Region enter(torch.DeviceType device) {
        return new Region(this, device);
    }

    /** Autocast on until {@link #close()}, which restores the thread's previous state. */
    public static final class Region implements AutoCloseable {
        private final torch.DeviceType device;
        private final boolean active;
        private final boolean wasEnabled;
        private final torch.ScalarType previousDtype;
        private final boolean previousCache;
        private boolean closed;

        private Region(Autocast mode, torch.DeviceType device) {
            this.device = device;
            this.active = mode != NONE;
            this.wasEnabled = torch.is_autocast_enabled(device);
            this.previousDtype = torch.get_autocast_dtype(device);
            this.previousCache = torch.is_autocast_cache_enabled();
            if (active) {
                torch.set_autocast_dtype(device, torch.ScalarType.BFloat16);
                torch.set_autocast_cache_enabled(false);
                torch.set_autocast_enabled(device, true);
            }
        }

        @Override
        public void close() {
            if (closed || !active) {
                closed = true;
                return;
            }
            closed = true;
            torch.set_autocast_enabled(device, wasEnabled);
            torch.set_autocast_dtype(device, previousDtype);
            torch.set_autocast_cache_enabled(previousCache);
        }
    }
}
