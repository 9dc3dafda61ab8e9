/** Reinforcement learning with verifiable rewards (GRPO): rollouts, rewards, advantages, the clipped policy loss, pass@k. */
package org.peftarena.train.rl;
