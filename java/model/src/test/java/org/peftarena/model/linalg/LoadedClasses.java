package org.peftarena.model.linalg;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Whether a class has been loaded by the test class loader, asked without loading it
 * ({@code ClassLoader.findLoadedClass}, opened to the tests by surefire's {@code --add-opens}).
 */
final class LoadedClasses {
    private static final MethodHandle FIND_LOADED;

    static {
        try {
            FIND_LOADED = MethodHandles.privateLookupIn(ClassLoader.class, MethodHandles.lookup())
                    .findVirtual(ClassLoader.class, "findLoadedClass", MethodType.methodType(Class.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LoadedClasses() {}

    static boolean loaded(String name) {
        try {
            return FIND_LOADED.invoke(LoadedClasses.class.getClassLoader(), name) != null;
        } catch (Throwable t) {
            throw new IllegalStateException("findLoadedClass(" + name + ")", t);
        }
    }
}
