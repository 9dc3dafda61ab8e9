/** DoRA: weight-decomposed low-rank adaptation (a LoRA update plus a learned column magnitude). */
package org.peftarena.peft.dora;
