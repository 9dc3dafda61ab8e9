package org.peftarena.peft;

/**
 * Where a method's update is linear in one of its tensors: scaling that tensor's distance from
 * {@code identity} by alpha scales the update by alpha.
 *
 * @param suffix the key suffix of the tensor, e.g. {@code .lora_B.weight}
 * @param identity the tensor value of a zero update (0, or 1 for a multiplicative vector such as IA3's)
 */
public record LinearScaling(String suffix, double identity) {
}
