package org.peftarena.peft.pissa;

import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.peft.AdapterFormatException;
import org.peftarena.peft.AdditiveAdapterLayer;
import org.peftarena.peft.BaseLinear;
import org.peftarena.peft.ParameterInit;
import org.peftarena.peft.PeftException;
import org.peftarena.peft.ShapeCheck;

/**
 * A LoRA whose factors start from singular triplets of {@code W0} (PiSSA: the top r; MiLoRA: the
 * bottom r), {@code B0 = U_r S_r^(1/2)}, {@code A0 = S_r^(1/2) V_r^T}. The frozen residual
 * {@code W0 - B0 A0} is never materialised: the forward subtracts {@code x A0^T B0^T} from the
 * base output, so the model's weights stay {@code W0}. Stored as HF PEFT stores a converted PiSSA
 * adapter: a plain LoRA of rank 2r with {@code lora_A = [A; A0]}, {@code lora_B = [B, -B0]}.
 */
public final class SvdLoraLayer extends AdditiveAdapterLayer {
    /** Which end of the spectrum the factors come from. */
    public enum Triplets { PRINCIPAL, MINOR }

    private final int rank;
    private final Tensor a;
    private final Tensor b;
    private final Tensor a0;
    private final Tensor b0;

    /**
     * Initialises from the SVD of the base weight.
     *
     * @param base the frozen layer
     * @param rank r, at most {@code min(in, out)}
     * @param triplets principal (PiSSA) or minor (MiLoRA)
     */
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public SvdLoraLayer(BaseLinear base, int rank, Triplets triplets) {
        super(base);
        long k = Math.min(base.in(), base.out());
        if (rank > k) {
            throw new PeftException(base.path() + ": rank " + rank + " exceeds min(in, out) = " + k);
        }
        this.rank = rank;
        try (NoGradGuard g = new NoGradGuard()) {
            T_TensorTensorTensor_T usv = torch.linalg_svd(base.weight().to(torch.ScalarType.Double), false, new StringViewOptional());
            long start = triplets == Triplets.PRINCIPAL ? 0 : k - rank;
            Tensor sqrtS = usv.get1().narrow(0, start, rank).sqrt();
            Tensor u = usv.get0().narrow(1, start, rank);
            Tensor vh = usv.get2().narrow(0, start, rank);
            this.b0 = u.mul(sqrtS.unsqueeze(0)).to(torch.ScalarType.Float).contiguous();
            this.a0 = vh.mul(sqrtS.unsqueeze(1)).to(torch.ScalarType.Float).contiguous();
            this.a = ParameterInit.trainable(a0.clone());
            this.b = ParameterInit.trainable(b0.clone());
        }
    }

    @Override
    protected Tensor adaptedForward(Tensor x) {
        Tensor adapted = torch.linear(torch.linear(x, a), b);
        Tensor initial = torch.linear(torch.linear(x, a0), b0);
        return base.forward(x).add(adapted).sub(initial);
    }

    /** {@code B A - B0 A0}: float32 {@code (out, in)}. */
    @Override
    public Tensor delta() {
        return b.matmul(a).sub(b0.matmul(a0));
    }

    @Override
    public Map<String, Tensor> trainable() {
        return named("lora_A.weight", a, "lora_B.weight", b);
    }

    /** The converted rank-2r LoRA: {@code lora_A (2r, in)}, {@code lora_B (out, 2r)}. */
    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public Map<String, Tensor> saved() {
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor la = torch.cat(new org.bytedeco.pytorch.TensorVector(a.detach(), a0), 0);
            Tensor lb = torch.cat(new org.bytedeco.pytorch.TensorVector(b.detach(), b0.neg()), 1);
            return named("lora_A.weight", la, "lora_B.weight", lb);
        }
    }

    @Override
    @SuppressWarnings("try") // scope guards (PointerScope, NoGradGuard) are used for their extent
    public void load(Map<String, Tensor> tensors) {
        Map<String, Tensor> expected = saved();
        try (NoGradGuard g = new NoGradGuard()) {
            for (String key : expected.keySet()) {
                if (!tensors.containsKey(key)) {
                    throw new AdapterFormatException(base.path() + ": adapter has no tensor '" + key + "'");
                }
                ShapeCheck.require(base.path() + "." + key + " (converted rank " + 2 * rank + ")", expected.get(key), tensors.get(key));
            }
            Tensor la = tensors.get("lora_A.weight");
            Tensor lb = tensors.get("lora_B.weight");
            a.copy_(la.narrow(0, 0, rank));
            a0.copy_(la.narrow(0, rank, rank));
            b.copy_(lb.narrow(1, 0, rank));
            b0.copy_(lb.narrow(1, rank, rank).neg());
        }
    }
}
