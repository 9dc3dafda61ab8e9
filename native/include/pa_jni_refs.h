/*
 * PEFT-Arena: JNI references of JavaCPP callback peers.
 *
 * Not part of the kernel library's C ABI (peft_arena.h has no JNI): these inline functions are
 * compiled only into the JavaCPP glue of org.peftarena.kernels.jni.PeftArenaNative, which is JNI
 * code anyway, and receive its JNIEnv (@Raw(withEnv = true)).
 *
 * JavaCPP's C++ peer of a Java subclass of a virtual C++ class (for example LibTorch's
 * FunctionPreHook) holds a JNI weak global reference to its Java object, which only JavaCPP's own
 * deallocator deletes. A peer handed to C++ as a unique_ptr is destroyed by C++ (the autograd node
 * that owns the hook), which leaves that reference allocated for the life of the JVM: one leaked
 * handle per hook. The Java side reads the reference out of the peer while it is alive, checks it
 * here and deletes it once the peer can no longer be called (org.peftarena.kernels.JniPeers).
 */
#ifndef PA_JNI_REFS_H
#define PA_JNI_REFS_H

#include <jni.h>
#include <stdint.h>

/* 1 when handle is a live JNI weak global reference to obj, else 0. handle must be 0 or a value
 * that the JVM handed out as a JNI reference (never arbitrary memory). */
static inline jint pa_jni_is_weak_ref_to(JNIEnv* env, jclass, jlong handle, jobject obj) {
    if (handle == 0 || obj == NULL) {
        return 0;
    }
    jobject ref = (jobject)(intptr_t)handle;
    if (env->GetObjectRefType(ref) != JNIWeakGlobalRefType) {
        return 0;
    }
    return env->IsSameObject(ref, obj) ? 1 : 0;
}

/* 1 when handle is a live JNI weak global reference (to any object, or to one already collected). */
static inline jint pa_jni_is_weak_ref(JNIEnv* env, jclass, jlong handle) {
    return handle != 0 && env->GetObjectRefType((jobject)(intptr_t)handle) == JNIWeakGlobalRefType ? 1 : 0;
}

/* Deletes the JNI weak global reference handle (0 is ignored). */
static inline void pa_jni_delete_weak_ref(JNIEnv* env, jclass, jlong handle) {
    if (handle != 0) {
        env->DeleteWeakGlobalRef((jweak)(intptr_t)handle);
    }
}

#endif
