/** HRA: Householder reflection adaptation, applied in compact WY form. */
package org.peftarena.peft.hra;
