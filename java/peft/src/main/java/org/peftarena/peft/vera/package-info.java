/** VeRA: shared frozen random projections with trained scaling vectors. */
package org.peftarena.peft.vera;
