/** The pretraining recipe of the embedded byte-level base model (tiny-europarl) and its general-suite validation. */
package org.peftarena.train.pretrain;
