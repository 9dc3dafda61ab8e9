/** Full finetuning, counted and saved like an adapter method. */
package org.peftarena.peft.full;
