/** Post-hoc rewinding of finished runs (uniform, SafeRho, MinRho): per-block coefficients, the rewound adapter and its merged model. */
package org.peftarena.analysis.rewind;
