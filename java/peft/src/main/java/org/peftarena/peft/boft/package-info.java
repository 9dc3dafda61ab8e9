/** BOFT: butterfly-factorised orthogonal finetuning ({@code boft_R} through the exact Cayley transform, {@code boft_s} output scales). */
package org.peftarena.peft.boft;
