/** Tokenizers: the built-in UTF-8 byte tokenizer and any Hugging Face tokenizer.json through DJL. */
package org.peftarena.formats.tokenizer;
