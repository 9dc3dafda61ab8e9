package org.peftarena.arena.train;

import java.util.ArrayList;
import java.util.List;
import org.peftarena.arena.data.ArenaDataException;
import org.peftarena.arena.data.ProblemTaskData;
import org.peftarena.train.data.PromptResponse;
import org.peftarena.arena.data.TaskData;
import org.peftarena.arena.data.TextTaskData;
import org.peftarena.train.sft.SftExample;
import org.peftarena.formats.tokenizer.TextTokenizer;

/**
 * The supervised examples of a task's training split: problems as prompt/response pairs (loss on
 * the response), text documents cut into sequence-sized pieces with an empty prompt (loss on
 * every token).
 */
public final class TrainingExamples {
    /** Tokens a sequence spends on BOS and EOS besides the text. */
    static final int SPECIAL_TOKENS = 2;

    private TrainingExamples() {
    }

    /**
     * @param task      the target task
     * @param tokenizer the model's tokenizer
     * @param seqLen    longest training sequence in tokens
     * @throws ArenaDataException when the task has no training data
     */
    public static List<SftExample> of(TaskData task, TextTokenizer tokenizer, int seqLen) {
        List<SftExample> out = new ArrayList<>();
        if (task instanceof org.peftarena.arena.data.RlTaskData) {
            throw new ArenaDataException("task " + task.name() + " is an RL task (kind rl): it trains with regime: rl");
        }
        if (task instanceof ProblemTaskData p) {
            for (PromptResponse pr : p.train()) {
                out.add(new SftExample(pr.prompt(), pr.response()));
            }
        } else {
            TextChunker chunker = new TextChunker(tokenizer, Math.max(1, seqLen - SPECIAL_TOKENS));
            for (String doc : ((TextTaskData) task).train()) {
                for (String piece : chunker.chunks(doc)) {
                    out.add(new SftExample("", piece));
                }
            }
        }
        if (out.isEmpty()) {
            throw new ArenaDataException("task " + task.name() + " has no training data: it can be a general "
                    + "task but not a target");
        }
        return out;
    }
}
