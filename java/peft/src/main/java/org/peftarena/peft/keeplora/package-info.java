/** KeepLoRA: a LoRA whose {@code A} is frozen to gradient directions outside the principal subspace of the base weight; only {@code B} trains. */
package org.peftarena.peft.keeplora;
