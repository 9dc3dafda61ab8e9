/** IA3: learned rescaling vectors of activations. */
package org.peftarena.peft.ia3;
