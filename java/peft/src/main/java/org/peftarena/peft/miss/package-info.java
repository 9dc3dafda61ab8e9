/** MiSS: one shared block applied to the sums of the input's r-wide chunks. */
package org.peftarena.peft.miss;
