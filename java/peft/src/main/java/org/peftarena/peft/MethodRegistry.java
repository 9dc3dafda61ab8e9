package org.peftarena.peft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The finetuning methods this engine knows: those found through {@link ServiceLoader} (every
 * {@code META-INF/services/org.peftarena.peft.PeftMethodProvider} on the class path, in its listed
 * order) and those added with {@link #register}. Central code iterates it instead of naming methods.
 */
public final class MethodRegistry {
    private static final Map<String, PeftMethodProvider<?>> PROVIDERS = new LinkedHashMap<>();
    private static boolean loaded;

    private MethodRegistry() {}

    /**
     * Adds a method.
     *
     * @throws PeftException if a method of the same name is registered already
     */
    public static synchronized void register(PeftMethodProvider<?> provider) {
        load();
        add(provider);
    }

    /** Adds a method unless one of the same name is registered; true when it was added. */
    public static synchronized boolean registerIfAbsent(PeftMethodProvider<?> provider) {
        load();
        if (PROVIDERS.containsKey(provider.method().cliName())) {
            return false;
        }
        add(provider);
        return true;
    }

    /** Every registered provider, service-loaded ones first, in registration order. */
    public static synchronized List<PeftMethodProvider<?>> providers() {
        load();
        return List.copyOf(PROVIDERS.values());
    }

    /** Every registered method, in registration order. */
    public static List<PeftMethod> methods() {
        return providers().stream().<PeftMethod>map(PeftMethodProvider::method).toList();
    }

    /**
     * The provider of a method.
     *
     * @throws UnknownMethodException if no provider of that method is registered
     */
    public static synchronized PeftMethodProvider<?> provider(PeftMethod method) {
        load();
        PeftMethodProvider<?> p = PROVIDERS.get(method.cliName());
        if (p == null || !p.method().equals(method)) {
            throw new UnknownMethodException("PEFT method '" + method.cliName() + "' is not registered; known: "
                    + PeftMethod.names());
        }
        return p;
    }

    /** The provider of a method name (see {@link PeftMethod#parse}). */
    public static PeftMethodProvider<?> provider(String name) {
        return provider(PeftMethod.parse(name));
    }

    /** Every setting of the registered methods, each name once, in registration order. */
    public static List<MethodOption<?>> options() {
        Map<String, MethodOption<?>> all = new LinkedHashMap<>();
        for (PeftMethodProvider<?> p : providers()) {
            p.options().forEach(o -> all.putIfAbsent(o.name(), o));
        }
        return new ArrayList<>(all.values());
    }

    private static void add(PeftMethodProvider<?> provider) {
        String name = provider.method().cliName();
        if (PROVIDERS.containsKey(name)) {
            throw new PeftException("PEFT method '" + name + "' is registered twice (" + PROVIDERS.get(name).getClass().getName()
                    + ", " + provider.getClass().getName() + ")");
        }
        PROVIDERS.put(name, provider);
    }

    private static void load() {
        if (!loaded) {
            loaded = true;
            for (PeftMethodProvider<?> p : ServiceLoader.load(PeftMethodProvider.class, MethodRegistry.class.getClassLoader())) {
                add(p);
            }
        }
    }
}
