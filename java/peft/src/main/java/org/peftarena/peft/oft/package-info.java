/** OFT: block-diagonal orthogonal finetuning (Cayley-Neumann or exact Cayley), on the native kernels on the CPU. */
package org.peftarena.peft.oft;
