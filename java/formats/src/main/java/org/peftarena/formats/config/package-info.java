/** Model architecture configs (config.json of Llama, Qwen2 and Mistral) and exact module/parameter accounting. */
package org.peftarena.formats.config;
