/**
 * Hugging Face weight files: validated, memory-mapped safetensors reading, atomic (optionally
 * sharded) writing, and f16/bf16 conversions.
 */
package org.peftarena.formats.io;
