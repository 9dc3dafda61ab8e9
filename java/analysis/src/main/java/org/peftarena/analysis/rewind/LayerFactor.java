package org.peftarena.analysis.rewind;

/**
 * The rewinding of one transformer block.
 *
 * @param layer block index
 * @param modules adapted modules in the block
 * @param rho the block's rotation strength (NaN for methods without one)
 * @param alpha {@code alpha_l}: the uniform alpha or {@code min(1, rho* / rho_l)}
 * @param factor what the block's adapter parameters are multiplied by ({@code alpha_l} or its square root)
 */
public record LayerFactor(int layer, int modules, double rho, double alpha, double factor) {
}
