/** PiSSA: LoRA initialised from the principal singular components of the base weight. */
package org.peftarena.peft.pissa;
