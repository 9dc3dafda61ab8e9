package org.peftarena.train.sft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.peftarena.formats.tokenizer.ChatTemplateException;
import org.peftarena.formats.tokenizer.ModelChatTemplate;

/**
 * How a prompt and its response become the text a model is trained on, as Hugging Face users
 * expect: {@code chat} renders the model's own chat template (a user turn, then the assistant's
 * turn, as {@code apply_chat_template} would), {@code default} uses {@link #DEFAULT_PROMPT_FORMAT},
 * {@code none} joins them as they are. The loss is taken on the response part only. Examples
 * without a prompt ({@code {"text"}}) are plain text under every template.
 */
public final class PromptTemplate {
    /** The choices of {@code --template}. */
    public enum Kind {
        /** {@code chat} when the model has a chat template, else {@code default}. */
        AUTO,
        /** The model's chat template (an error when it has none). */
        CHAT,
        /** {@link #DEFAULT_PROMPT_FORMAT}. */
        DEFAULT,
        /** Prompt and response joined with nothing between them. */
        NONE;

        /** The command-line spelling. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * @throws SftDataException for an unknown name
         */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.cliName().equals(name)) {
                    return k;
                }
            }
            throw new SftDataException("unknown template '" + name + "'; known: auto, chat, default, none");
        }
    }

    /**
     * The default template's prompt part ({@code %s} is the prompt); the response follows it
     * unchanged, then EOS: {@code "### Instruction:\n<prompt>\n\n### Response:\n<response>"}.
     */
    public static final String DEFAULT_PROMPT_FORMAT = "### Instruction:\n%s\n\n### Response:\n";

    private static final PromptTemplate NONE = new PromptTemplate(Kind.NONE, null, null);
    private static final PromptTemplate DEFAULT = new PromptTemplate(Kind.DEFAULT, null, null);

    private final Kind kind;
    private final ModelChatTemplate chat;
    private final String description;

    private PromptTemplate(Kind kind, ModelChatTemplate chat, String description) {
        this.kind = kind;
        this.chat = chat;
        this.description = description;
    }

    /** Prompt and response joined as they are. */
    public static PromptTemplate none() {
        return NONE;
    }

    /** {@link #DEFAULT_PROMPT_FORMAT}. */
    public static PromptTemplate defaultTemplate() {
        return DEFAULT;
    }

    /** The given chat template. */
    public static PromptTemplate chat(ModelChatTemplate template) {
        return new PromptTemplate(Kind.CHAT, template, template.source().toString());
    }

    /**
     * The template a choice names for a model directory.
     *
     * @throws SftDataException when {@code chat} is asked of a model without a chat template
     * @throws IOException      when the model's template cannot be read or uses Jinja that is not supported
     */
    public static PromptTemplate forModel(Path modelDir, Kind choice) throws IOException {
        if (choice == Kind.NONE) {
            return NONE;
        }
        if (choice == Kind.DEFAULT) {
            return DEFAULT;
        }
        Optional<ModelChatTemplate> t = ModelChatTemplate.find(modelDir);
        if (t.isPresent()) {
            return chat(t.get());
        }
        if (choice == Kind.CHAT) {
            throw new SftDataException(modelDir + " has no chat template (no chat_template in tokenizer_config.json, "
                    + "no chat_template.jinja); use --template default or none");
        }
        return DEFAULT;
    }

    /** Which template this is ({@code chat}, {@code default} or {@code none}). */
    public Kind kind() {
        return kind;
    }

    /** A line for people: the kind, and the file a chat template came from. */
    public String describe() {
        return kind.cliName() + (description == null ? "" : " (" + description + ")");
    }

    /**
     * The example as the model sees it: the prompt part (not scored) and the response part.
     *
     * @throws SftDataException when a chat template refuses the conversation or renders it inconsistently
     */
    public SftExample apply(SftExample e) {
        if (e.prompt().isEmpty() || kind == Kind.NONE) {
            return e;
        }
        if (kind == Kind.DEFAULT) {
            return new SftExample(String.format(Locale.ROOT, DEFAULT_PROMPT_FORMAT, e.prompt()), e.response());
        }
        Map<String, String> user = Map.of("role", "user", "content", e.prompt());
        Map<String, String> assistant = Map.of("role", "assistant", "content", e.response());
        String prompt;
        String full;
        try {
            prompt = chat.render(List.of(user), true);
            full = chat.render(List.of(user, assistant), false);
        } catch (ChatTemplateException ex) {
            throw new SftDataException(chat.source() + ": " + ex.getMessage(), ex);
        }
        if (!full.startsWith(prompt) || full.length() == prompt.length()) {
            throw new SftDataException(chat.source() + ": the chat template's conversation does not continue its "
                    + "generation prompt; use --template default or none");
        }
        String response = full.substring(prompt.length());
        // BOS and EOS are added as token ids around every example, so their text is not repeated
        if (!chat.bosToken().isEmpty() && prompt.startsWith(chat.bosToken())) {
            prompt = prompt.substring(chat.bosToken().length());
        }
        if (!chat.eosToken().isEmpty() && response.endsWith(chat.eosToken())
                && response.length() > chat.eosToken().length()) {
            response = response.substring(0, response.length() - chat.eosToken().length());
        }
        return new SftExample(prompt, response);
    }

    /** {@link #apply} on every example. */
    public List<SftExample> applyAll(List<SftExample> examples) {
        List<SftExample> out = new ArrayList<>(examples.size());
        for (SftExample e : examples) {
            out.add(apply(e));
        }
        return out;
    }
}
