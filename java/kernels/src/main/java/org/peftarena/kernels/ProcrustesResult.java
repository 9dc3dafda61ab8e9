package org.peftarena.kernels;

/**
 * Batched orthogonal Procrustes {@code R = argmin normF(X1 R - X0)} over rotations of size d.
 *
 * @param rotation optimal orthogonal matrices [batch, d, d] row-major ({@code U V^T} of
 *     {@code svd(X1^T X0)}), or null when not computed
 * @param residual [batch] absolute residuals {@code normF(X1 R - X0)}
 * @param batch number of problems
 * @param d dimension
 * @param backendUsed where the kernel ran
 */
public record ProcrustesResult(float[] rotation, float[] residual, int batch, int d, Backend backendUsed) {}
