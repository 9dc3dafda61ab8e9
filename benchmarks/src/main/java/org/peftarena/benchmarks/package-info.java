/** JMH benchmarks of PEFT-Arena kernels against LibTorch baselines. */
package org.peftarena.benchmarks;
