/** Reading and writing adapters in the Hugging Face PEFT layout ({@code adapter_config.json}, {@code adapter_model.safetensors}). */
package org.peftarena.peft.io;
