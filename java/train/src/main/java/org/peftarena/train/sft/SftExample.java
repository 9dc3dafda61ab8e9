package org.peftarena.train.sft;

/**
 * One supervised example: the loss is taken on the response tokens only.
 *
 * @param prompt conditioning text (may be empty: then every token of the response is scored)
 * @param response target text, not empty
 */
public record SftExample(String prompt, String response) {
    public SftExample {
        if (prompt == null) {
            prompt = "";
        }
        if (response == null || response.isEmpty()) {
            throw new SftDataException("an SFT example needs a non-empty response");
        }
    }
}
