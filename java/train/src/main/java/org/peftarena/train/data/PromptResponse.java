package org.peftarena.train.data;

/**
 * One supervised example: the model sees {@code prompt} and must produce {@code response}
 * (trained with the loss on the response only, scored by exact match of the greedy answer).
 *
 * @param prompt   the text before the answer, non-empty
 * @param response the expected answer, non-empty
 */
public record PromptResponse(String prompt, String response) {
    /** Rejects empty fields. */
    public PromptResponse {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("prompt must be non-empty");
        }
        if (response == null || response.isEmpty()) {
            throw new IllegalArgumentException("response must be non-empty");
        }
    }
}
