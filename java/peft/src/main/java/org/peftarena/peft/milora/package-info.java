/** MiLoRA: LoRA initialised from the minor singular components of the base weight. */
package org.peftarena.peft.milora;
