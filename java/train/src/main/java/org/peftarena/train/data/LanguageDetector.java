package org.peftarena.train.data;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Guesses the language of a text from counts of its most frequent function words.
 *
 * <p>The Europarl lines carry no language tag (titles and bodies are simply in one of the
 * parliament's languages), so each of 18 languages has about 20 of its commonest short words; a
 * text gets the language with the most word hits when that count is at least
 * {@link #MIN_HITS} and at least {@link #MIN_MARGIN} times the runner-up's. Languages beyond the
 * four the arena uses (it, pt, nl, sv, da, fi, ro, pl, cs, sk, hu, et, lv, lt) are there as
 * competitors, so that Italian or Portuguese lines are not taken for Spanish, nor Dutch for
 * German. Texts in other scripts (Greek) or too short to decide get no language.
 */
public final class LanguageDetector {
    /** Fewest stop-word hits for a decision. */
    public static final int MIN_HITS = 3;
    /** Required ratio of the best language's hits to the runner-up's. */
    public static final double MIN_MARGIN = 1.5;

    private static final Pattern WORD = Pattern.compile("\\p{L}+");
    private static final Map<String, Set<String>> STOP_WORDS = stopWords();
    private static final String[] LANGUAGES = STOP_WORDS.keySet().toArray(new String[0]);
    /** Word to the indices (into LANGUAGES) of the languages listing it: one lookup per word. */
    private static final Map<String, int[]> WORD_LANGUAGES = wordLanguages();

    /** The language code (ISO 639-1, such as "en") of a text, or empty when undecided. */
    public Optional<String> detect(String text) {
        int[] hits = new int[LANGUAGES.length];
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            int[] langs = WORD_LANGUAGES.get(m.group());
            if (langs != null) {
                for (int l : langs) {
                    hits[l]++;
                }
            }
        }
        String best = null;
        int bestHits = -1;
        int second = 0;
        for (int l = 0; l < hits.length; l++) {
            int h = hits[l];
            if (h > bestHits) {
                second = Math.max(bestHits, 0);
                bestHits = h;
                best = LANGUAGES[l];
            } else if (h > second) {
                second = h;
            }
        }
        if (bestHits >= MIN_HITS && bestHits >= MIN_MARGIN * second) {
            return Optional.of(best);
        }
        return Optional.empty();
    }

    /** The language codes this detector can return. */
    public Set<String> languages() {
        return STOP_WORDS.keySet();
    }

    private static Map<String, Set<String>> stopWords() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("en", words("the of and to in is that for this we it be are on have with not which as by"));
        m.put("fr", words("le la les de des et est que un une pour dans nous qui pas du au sur il ce"));
        m.put("es", words("el la los las de que y en es un una por para con no se del al lo como"));
        m.put("de", words("der die das und ist nicht zu den von mit sich des auf für ein eine dem wir auch es"));
        m.put("it", words("il di che la e per un una non del della sono è con le si gli questo anche"));
        m.put("pt", words("o a os as de que e do da em um uma para com não no na é dos se"));
        m.put("nl", words("de het een van en is dat in op te voor met niet zijn die wij ook er"));
        m.put("sv", words("och att det som en är av för på med den till inte har vi om ett"));
        m.put("da", words("og at det er en af for til på med den de ikke har vi som et"));
        m.put("fi", words("ja on että se ei ovat myös tämä joka kanssa mutta kuin tai sen"));
        m.put("ro", words("și de în a la cu că nu o pe pentru din este un care sunt mai ca"));
        m.put("pl", words("i w na z że nie się do jest to o jak przez dla oraz tym"));
        m.put("cs", words("a v na je se že z o do k ve s to pro jsou by jako"));
        m.put("sk", words("a v na je sa že z o do k vo s to pre sú by ako"));
        m.put("hu", words("a az és hogy nem is egy ez meg van kell azt csak"));
        m.put("et", words("ja on et ei see mis ka kui ning oma selle aga"));
        m.put("lv", words("un ir ka uz par no ar lai tas kas arī tā ne"));
        m.put("lt", words("ir kad yra tai į su už iš bet kaip ar taip"));
        return m;
    }

    private static Map<String, int[]> wordLanguages() {
        Map<String, int[]> m = new java.util.HashMap<>();
        for (int l = 0; l < LANGUAGES.length; l++) {
            for (String w : STOP_WORDS.get(LANGUAGES[l])) {
                int[] old = m.getOrDefault(w, new int[0]);
                int[] grown = java.util.Arrays.copyOf(old, old.length + 1);
                grown[old.length] = l;
                m.put(w, grown);
            }
        }
        return m;
    }

    private static Set<String> words(String spaceSeparated) {
        return Set.of(spaceSeparated.split(" ", 0));
    }
}
