/** Supervised finetuning with a PEFT method: data ({@link org.peftarena.train.sft.SftDataset}), batches, the trainer, checkpoints and default learning rates. */
package org.peftarena.train.sft;
