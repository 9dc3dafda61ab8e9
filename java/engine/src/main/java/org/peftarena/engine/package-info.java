/** The transformer engine: Hugging Face I/O, tokenizers, the Llama-family decoder on LibTorch. */
package org.peftarena.engine;
