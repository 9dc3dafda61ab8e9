/** LoRA: low-rank additive adapters {@code dW = (alpha / r) B A}. */
package org.peftarena.peft.lora;
