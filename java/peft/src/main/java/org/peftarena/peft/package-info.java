/** PEFT methods in the Hugging Face PEFT layout: the method registry ({@link org.peftarena.peft.MethodRegistry}, {@link org.peftarena.peft.PeftMethodProvider}), configs, target modules, exact parameter counts and budget matching, and {@link org.peftarena.peft.PeftModel}, which attaches, merges and detaches adapters. */
package org.peftarena.peft;
