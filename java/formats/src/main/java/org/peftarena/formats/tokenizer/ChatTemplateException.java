package org.peftarena.formats.tokenizer;

/** A chat template uses Jinja that {@link ChatTemplate} does not render, or refuses the messages it is given. */
public final class ChatTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is unsupported or wrong, with the template's line where known */
    public ChatTemplateException(String message) {
        super(message);
    }
}
