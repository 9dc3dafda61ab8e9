package org.peftarena.model;

import static org.bytedeco.pytorch.global.torch.arange;
import static org.bytedeco.pytorch.global.torch.cat;
import static org.bytedeco.pytorch.global.torch.embedding;
import static org.bytedeco.pytorch.global.torch.ones_like;
import static org.bytedeco.pytorch.global.torch.rms_norm;
import static org.bytedeco.pytorch.global.torch.scaled_dot_product_attention;
import static org.bytedeco.pytorch.global.torch.silu;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.GradMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.peftarena.formats.config.LlamaConfig;

/**
 * A Llama-family decoder (Llama 2/3, Qwen2, Mistral, SmolLM, TinyLlama) on LibTorch: RMSNorm,
 * RoPE, grouped-query attention with causal and padding masks, SwiGLU MLP, optional biases and
 * tied embeddings. Weights are LibTorch tensors by Hugging Face name ({@link ModelWeights}); the
 * block linear layers go through {@link LinearRegistry} so adapters can replace them by name.
 *
 * <p>Position ids are derived from the attention mask ({@code cumsum(mask) - 1}), as Hugging Face
 * does during generation: with right padding or no padding they are {@code 0..T-1}, and
 * left-padded prompts start at position 0 at their first real token.
 */
public final class LlamaModel {
    private final LlamaConfig config;
    private final ModelWeights weights;
    private final LinearRegistry linears;
    private final RotaryEmbedding rope;
    private final ModelDType computeDtype;
    private volatile boolean gradientCheckpointing;

    /**
     * A model that computes in its weights' dtype.
     *
     * @param config  architecture
     * @param weights every tensor the config requires (validated), in one dtype
     */
    public LlamaModel(LlamaConfig config, ModelWeights weights) {
        this(config, weights, weights.dtype());
    }

    /**
     * A model whose activations may be wider than its weights: a frozen bfloat16 base held as
     * stored and computed in float32. Each weight is widened where it is used (the block and head
     * linear layers through {@link FrozenLinear}, one layer's copy at a time), so such weights
     * cannot be trained; full finetuning needs float32 weights.
     *
     * @param config       architecture
     * @param weights      every tensor the config requires (validated), in one dtype
     * @param computeDtype dtype of activations: the weights' own, or {@link ModelDType#FLOAT32}
     */
    public LlamaModel(LlamaConfig config, ModelWeights weights, ModelDType computeDtype) {
        if (computeDtype != weights.dtype() && computeDtype != ModelDType.FLOAT32) {
            throw new IllegalArgumentException("weights held in " + weights.dtype() + " compute in "
                    + weights.dtype() + " or FLOAT32, not " + computeDtype);
        }
        weights.validate(config);
        this.config = config;
        this.weights = weights;
        this.linears = new LinearRegistry(config, weights);
        this.rope = new RotaryEmbedding(config);
        this.computeDtype = computeDtype;
    }

    /** The architecture. */
    public LlamaConfig config() {
        return config;
    }

    /** The tensors by Hugging Face name. */
    public ModelWeights weights() {
        return weights;
    }

    /** The block linear layers, their forward replacements and activation captures. */
    public LinearRegistry linears() {
        return linears;
    }

    /** The device the weights are on, where every activation is computed. */
    public org.bytedeco.pytorch.Device device() {
        return weights.device();
    }

    /**
     * This model on {@code device}: the same model when it is there already, else a new one over
     * copies of the weights ({@link ModelWeights#to}). Move before attaching adapters, which are
     * created on their base layers' device.
     */
    public LlamaModel to(org.bytedeco.pytorch.Device device) {
        if (weights.device().equals(device)) {
            return this;
        }
        LlamaModel moved = new LlamaModel(config, weights.to(device), computeDtype);
        moved.gradientCheckpointing = gradientCheckpointing;
        return moved;
    }

    /**
     * Turns gradient (activation) checkpointing on or off: while gradients are recorded inside a pointer scope (the
     * trainers' steps), each decoder block keeps only its input for the backward pass and is recomputed there
     * ({@link BlockCheckpoint}). A frozen output head narrower than float32 then enters the loss one vocabulary slice
     * at a time ({@link CausalLmLoss#headLoss(Tensor, Tensor, Tensor, boolean)}). Lower memory for about one more
     * forward pass per step; the same values and gradients for the blocks (the sliced loss sums in another order).
     * Off by default.
     */
    public void setGradientCheckpointing(boolean on) {
        this.gradientCheckpointing = on;
    }

    /** Whether gradient checkpointing is on ({@link #setGradientCheckpointing}). */
    public boolean gradientCheckpointing() {
        return gradientCheckpointing;
    }

    /**
     * This model on {@code device}, releasing the tensors it leaves behind, so that loading a model onto a
     * device keeps no host copy of its weights. When a copy was made this model's tensors are released
     * and it must not be used again; when the model is on {@code device} already it is returned as it is.
     */
    public LlamaModel moveTo(org.bytedeco.pytorch.Device device) {
        LlamaModel moved = to(device);
        if (moved != this) {
            weights.asMap().values().forEach(Tensor::close);
        }
        return moved;
    }

    /** The dtype the weights are held in. */
    public ModelDType dtype() {
        return weights.dtype();
    }

    /** The dtype of activations: the weights' own, or FLOAT32 over a narrower frozen base. */
    public ModelDType computeDtype() {
        return computeDtype;
    }

    /**
     * Sets {@code requires_grad} on the weights whose names the predicate accepts and clears it
     * on all others.
     *
     * @return the tensors now trainable, in save order
     */
    public List<Tensor> setTrainable(Predicate<String> names) {
        List<Tensor> out = new ArrayList<>();
        for (String n : weights.names()) {
            boolean train = names.test(n);
            weights.get(n).set_requires_grad(train);
            if (train) {
                out.add(weights.get(n));
            }
        }
        return out;
    }

    /**
     * Logits of every position.
     *
     * @param inputIds      {@code [B, T]} int64 token ids
     * @param attentionMask {@code [B, T]} 1 at real tokens, 0 at padding (any integer or bool
     *                      dtype), or null for no padding
     * @return {@code [B, T, V]} float32
     */
    public Tensor forward(Tensor inputIds, Tensor attentionMask) {
        return forward(inputIds, attentionMask, null);
    }

    /**
     * Logits of the new positions, reading and extending a key/value cache.
     *
     * @param inputIds      {@code [B, T]} int64, the tokens after those already cached
     * @param attentionMask {@code [B, T]} for the new tokens, or null for all real
     * @param cache         keys/values of earlier tokens (extended in place), or null for none
     * @return {@code [B, T, V]} float32
     */
    public Tensor forward(Tensor inputIds, Tensor attentionMask, KvCache cache) {
        return LinearModule.apply(hidden(inputIds, attentionMask, cache), headWeight(), null).to(torch.ScalarType.Float);
    }

    /** The output head {@code [V, d]}: the token embedding when tied, else {@code lm_head.weight}. */
    public Tensor headWeight() {
        return weights.get(config.tieWordEmbeddings() ? ModelWeights.EMBED : ModelWeights.LM_HEAD);
    }

    /**
     * The last hidden states, after the final norm: {@link #forward} is their product with
     * {@link #headWeight()}.
     *
     * @return {@code [B, T, d]} in the compute dtype
     */
    @SuppressWarnings("try") // the blocks' pointer scopes are used for their extent
    public Tensor hidden(Tensor inputIds, Tensor attentionMask, KvCache cache) {
        if (inputIds.dim() != 2) {
            throw new IllegalArgumentException("input ids must be [B, T], got " + inputIds.sizes().vec());
        }
        long t = inputIds.size(1);
        org.bytedeco.pytorch.Device device = device();
        inputIds = inputIds.to(device, torch.ScalarType.Long); // host-built ids and masks move here
        Tensor mask = attentionMask == null ? ones_like(inputIds) : attentionMask.to(device, torch.ScalarType.Long);
        long past = cache == null ? 0 : cache.length();
        Tensor fullMask = past == 0 ? mask : cat(new TensorVector(cache.keyMask(), mask), 1); // [B, S]
        Tensor positions = fullMask.cumsum(1).sub(new Scalar(1L)).clamp_min(new Scalar(0L)).narrow(1, past, t);
        Tensor allowed = attentionAllowed(fullMask, past, t); // [B, 1, T, S]
        Tensor tokenMask = mask.to(torch.ScalarType.Bool);
        Tensor[] cosSin = rope.cosSin(positions, computeDtype);

        Tensor h = embedding(weights.get(ModelWeights.EMBED), inputIds); // [B, T, d]
        if (computeDtype != dtype()) {
            h = h.to(computeDtype.scalarType());
        }
        // Without gradients nothing needs a block's temporaries once the block is done, so each block runs
        // in its own pointer scope and only its output is carried out (generation and evaluation then hold
        // one block's activations at a time, not the whole pass's). With gradients the Java handles stay
        // with the caller's scope: hooks of the native paths keep handles for the backward pass.
        // With checkpointing each block keeps only its input for the backward pass (not with a cache or listeners:
        // the recomputation would extend the one and notify the others twice).
        boolean perBlock = !GradMode.is_enabled();
        boolean checkpoint = !perBlock && gradientCheckpointing && cache == null && !linears.capturing();
        for (int l = 0; l < config.numHiddenLayers(); l++) {
            if (!perBlock) {
                int layer = l;
                Tensor y = checkpoint ? BlockCheckpoint.apply(h, x -> block(layer, x, cosSin, allowed, tokenMask, null)) : null;
                h = y != null ? y : block(l, h, cosSin, allowed, tokenMask, cache);
                continue;
            }
            Tensor carried;
            try (PointerScope blockScope = new PointerScope()) {
                carried = block(l, h, cosSin, allowed, tokenMask, cache);
                carried.retainReference(); // survives the block's scope
            }
            h = new Tensor(carried); // a handle in the caller's scope
            carried.releaseReference();
        }
        if (cache != null) {
            cache.setKeyMask(fullMask);
        }
        return norm(h, ModelWeights.FINAL_NORM);
    }

    /**
     * Mean next-token cross-entropy: logits at position t predict {@code labels[t + 1]}
     * (Hugging Face's causal-LM convention: labels are aligned with the inputs and shifted here).
     *
     * @param inputIds      {@code [B, T]} int64
     * @param attentionMask {@code [B, T]} or null
     * @param labels        {@code [B, T]} int64 target ids, -100 where no loss is taken
     * <p>For a large vocabulary the logits are formed and differentiated in chunks
     * ({@link CausalLmLoss#headLoss}), so the whole {@code [B, T, V]} logits never exist; with gradient checkpointing
     * a frozen head narrower than float32 is also widened one vocabulary slice at a time, never whole.
     *
     * @return scalar float32 loss attached to the autograd graph
     */
    public Tensor loss(Tensor inputIds, Tensor attentionMask, Tensor labels) {
        return CausalLmLoss.headLoss(hidden(inputIds, attentionMask, null), headWeight(), labels, gradientCheckpointing);
    }

    /** One decoder block: {@code h + attention(norm(h))}, then {@code + mlp(norm(.))}. */
    private Tensor block(int l, Tensor h, Tensor[] cosSin, Tensor allowed, Tensor tokenMask, KvCache cache) {
        Tensor x = norm(h, ModelWeights.inputNorm(l));
        Tensor out = h.add(attention(l, x, cosSin, allowed, tokenMask, cache));
        x = norm(out, ModelWeights.postAttentionNorm(l));
        return out.add(mlp(l, x, tokenMask));
    }

    /** Which key positions each new query may attend to: causal, real keys, window; {@code [B, 1, T, S]} bool. */
    private Tensor attentionAllowed(Tensor fullMask, long past, long t) {
        long s = fullMask.size(1);
        TensorOptions longs = Devices.options(torch.ScalarType.Long, fullMask.device());
        Tensor qPos = arange(new Scalar(past), new Scalar(past + t), longs).view(t, 1);
        Tensor kPos = arange(new Scalar(0L), new Scalar(s), longs).view(1, s);
        Tensor causal = kPos.le(qPos); // [T, S]
        OptionalInt window = config.attentionWindow();
        if (window.isPresent()) {
            causal = causal.logical_and(qPos.sub(kPos).lt(new Scalar((long) window.getAsInt())));
        }
        Tensor keyValid = fullMask.to(torch.ScalarType.Bool).unsqueeze(1); // [B, 1, S]
        // a query always sees itself, so rows of padding queries never become all-masked (NaN)
        Tensor allowed = causal.unsqueeze(0).logical_and(keyValid).logical_or(kPos.eq(qPos).unsqueeze(0));
        return allowed.unsqueeze(1);
    }

    private Tensor norm(Tensor h, String weightName) {
        Tensor w = weights.get(weightName);
        if (computeDtype != dtype()) {
            w = w.to(computeDtype.scalarType());
        }
        return rms_norm(h, new long[] {config.hiddenSize()}, new TensorOptional(w),
                new DoubleOptional(config.rmsNormEps()));
    }

    private Tensor attention(int layer, Tensor x, Tensor[] cosSin, Tensor allowed, Tensor tokenMask,
                             KvCache cache) {
        long b = x.size(0);
        long t = x.size(1);
        int hq = config.numAttentionHeads();
        int hkv = config.numKeyValueHeads();
        int d = config.headDim();
        String p = "model.layers." + layer + ".self_attn.";
        Tensor q = linears.apply(p + "q_proj", x, tokenMask).view(b, t, hq, d).transpose(1, 2);
        Tensor k = linears.apply(p + "k_proj", x, tokenMask).view(b, t, hkv, d).transpose(1, 2);
        Tensor v = linears.apply(p + "v_proj", x, tokenMask).view(b, t, hkv, d).transpose(1, 2);
        q = RotaryEmbedding.apply(q, cosSin[0], cosSin[1]);
        k = RotaryEmbedding.apply(k, cosSin[0], cosSin[1]);
        if (cache != null) {
            if (cache.keys(layer) != null) {
                k = cat(new TensorVector(cache.keys(layer), k), 2);
                v = cat(new TensorVector(cache.values(layer), v), 2);
            }
            cache.put(layer, k, v);
        }
        Tensor out = scaled_dot_product_attention(q, k, v, new TensorOptional(allowed), 0.0, false,
                new DoubleOptional(), hq != hkv); // [B, Hq, T, D]
        out = out.transpose(1, 2).reshape(b, t, (long) hq * d);
        return linears.apply(p + "o_proj", out, tokenMask);
    }

    private Tensor mlp(int layer, Tensor x, Tensor tokenMask) {
        String p = "model.layers." + layer + ".mlp.";
        Tensor gate = silu(linears.apply(p + "gate_proj", x, tokenMask));
        Tensor up = linears.apply(p + "up_proj", x, tokenMask);
        return linears.apply(p + "down_proj", gate.mul(up), tokenMask);
    }
}
