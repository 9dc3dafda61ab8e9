/** AdaLoRA: SVD-form adapters with HF PEFT's budget schedule, importance-based pruning and orthogonal regulariser. */
package org.peftarena.peft.adalora;
