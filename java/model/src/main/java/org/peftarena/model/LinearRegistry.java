package org.peftarena.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Tensor;
import org.peftarena.formats.config.LinearModuleSpec;
import org.peftarena.formats.config.LlamaConfig;

/**
 * The decoder's block linear layers by Hugging Face module name, with the per-module forward
 * replacements adapters install and the activation listeners diagnostics attach.
 */
public final class LinearRegistry {
    private final Map<String, LinearModule> modules = new LinkedHashMap<>();
    private final Map<String, LinearForward> replacements = new LinkedHashMap<>();
    private final List<Capture> captures = new CopyOnWriteArrayList<>();

    LinearRegistry(LlamaConfig config, ModelWeights weights) {
        for (LinearModuleSpec s : config.linearModules()) {
            modules.put(s.name(), new LinearModule(s, weights));
        }
    }

    /** Every block linear layer, block by block in the order q, k, v, o, gate, up, down. */
    public Map<String, LinearModule> modules() {
        return Collections.unmodifiableMap(modules);
    }

    /** @return the module of that name */
    public LinearModule module(String name) {
        LinearModule m = modules.get(name);
        if (m == null) {
            throw new UnknownModuleException("no linear module named " + name);
        }
        return m;
    }

    /** Makes {@code forward} compute the named layer instead of its base forward (replacing any earlier one). */
    public void replaceForward(String name, LinearForward forward) {
        module(name);
        replacements.put(name, forward);
    }

    /** Restores the base forward of the named layer. */
    public void restoreForward(String name) {
        module(name);
        replacements.remove(name);
    }

    /** Restores the base forward of every layer. */
    public void restoreAll() {
        replacements.clear();
    }

    /** The replacement installed for a layer, if any. */
    public Optional<LinearForward> replacement(String name) {
        return Optional.ofNullable(replacements.get(name));
    }

    /**
     * Starts delivering the activations of the selected layers to a listener until the returned
     * handle is closed.
     *
     * @param modules  which module names to capture
     * @param listener receives input and output of each selected layer on every forward
     */
    public AutoCloseable capture(Predicate<String> modules, ActivationListener listener) {
        Capture c = new Capture(modules, listener);
        captures.add(c);
        return () -> captures.remove(c);
    }

    /** Whether any activation capture is open ({@link #capture}). */
    public boolean capturing() {
        return !captures.isEmpty();
    }

    /**
     * Runs a layer: its replacement if one is installed, else its base forward, then notifies the
     * listeners that selected it.
     *
     * @param name      module name
     * @param x         input {@code [B, T, in]}
     * @param tokenMask {@code [B, T]} bool, true at real tokens (passed to listeners)
     * @return {@code [B, T, out]}
     */
    public Tensor apply(String name, Tensor x, Tensor tokenMask) {
        LinearModule m = module(name);
        LinearForward f = replacements.get(name);
        Tensor y = f == null ? m.base(x) : f.forward(m, x);
        for (Capture c : captures) {
            if (c.modules.test(name)) {
                c.listener.onActivation(name, x, y, tokenMask);
            }
        }
        return y;
    }

    private record Capture(Predicate<String> modules, ActivationListener listener) {
    }
}
