/** The Llama-family decoder on LibTorch: weights by Hugging Face name, per-module linear hooks, generation, HF directory I/O, thread settings. */
package org.peftarena.model;
