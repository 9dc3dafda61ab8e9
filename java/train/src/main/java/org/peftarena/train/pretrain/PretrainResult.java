package org.peftarena.train.pretrain;

import java.util.List;
import java.util.Map;

/**
 * What a pretraining run produced.
 *
 * @param parameters     number of model parameters
 * @param steps          optimizer steps taken
 * @param tokens         training tokens seen (loss-bearing positions)
 * @param seconds        wall time of the training loop
 * @param finalLoss      mean loss of the last 50 steps
 * @param trainingLines  Europarl training lines per language
 * @param scores         final validation scores in percent (languages, addition, general)
 * @param history        quick validation scores by step, in order
 */
public record PretrainResult(long parameters, int steps, long tokens, double seconds, double finalLoss,
                             Map<String, Integer> trainingLines, Map<String, Double> scores,
                             List<Map.Entry<Integer, Map<String, Double>>> history) {
    /** Training throughput, tokens per second. */
    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
